package com.jodoerp.bridge.flow;

/**
 * What travels with an exchange beside its body, between the YAML routes in routes/ and the beans they call: the
 * one list of these names, so a route and a bean cannot drift apart. Exchange properties, not headers: a client can
 * send any header it likes, but it cannot set an exchange property.
 *
 * <p>The bodies themselves are typed: the intake passes the raw bytes, dispatch a {@code StoredEvent}, delivery a
 * {@code DueDelivery} and then the canonical record as a map.
 */
public final class Flow {

    // Set by the intake from the envelope, and again by dispatch and delivery from the store.
    /** Jodo's {@code event_id}. */
    public static final String EVENT_ID = "jodoEventId";
    /** Jodo's event name, e.g. {@code flex.instalment.debited}. */
    public static final String EVENT = "jodoEvent";
    /** Jodo's {@code timestamp}, Unix seconds. */
    public static final String TIMESTAMP = "jodoTimestamp";
    /** When the bridge accepted the webhook. */
    public static final String RECEIVED_AT = "jodoReceivedAt";
    /** The client's address, as the intake resolved it. */
    public static final String REMOTE_ADDRESS = "jodoRemoteAddress";
    /** The webhook as the intake queues it for its batch's transaction. */
    public static final String RECEIVED_WEBHOOK = "jodoReceivedWebhook";

    /** The family the event belongs to (EventCatalog); absent when it belongs to none. */
    public static final String FAMILY = "jodoFamily";

    /** The part of a work queue a drain route takes (drain-work-queue.camel.yaml's lane): delivery's target. */
    public static final String LANE = "jodoLane";
    /** The last batch taken from a work queue was full: there may be more waiting right away. */
    public static final String BATCH_FULL = "jodoBatchFull";
    /** The claim token of the batch of events being dispatched. */
    public static final String DISPATCH_CLAIM = "jodoDispatchClaim";
    /** The claim token of the batch of deliveries being attempted. */
    public static final String DELIVERY_CLAIM = "jodoDeliveryClaim";

    /** The delivery being attempted ({@code DueDelivery}). */
    public static final String DELIVERY = "jodoDelivery";
    /** The name of the target it goes to; its route is {@code deliver-to-<target>}. */
    public static final String TARGET = "jodoTarget";
    /** The webhook body exactly as Jodo sent it, as text, for the rare field the canonical record lacks. */
    public static final String RAW_EVENT = "jodoRawEvent";
    /** The record's lines for the jdbc target (fee components, instalments, disbursements), one map each. */
    public static final String LINES = "jodoLines";
    /** The jdbc target: set while the record's statements run inside its batch's ERP transaction. */
    public static final String ERP_TRANSACTION = "jodoErpTransaction";

    /**
     * The payment whose money this attempt booked at its target (an ERPNext entry made, a Tally voucher imported), set
     * by the transports that book receipts: DeliveryQueue delivers again the record that undid it meanwhile.
     */
    public static final String BOOKED_PAYMENT = "jodoBookedPayment";

    /** ERPNext: what the record asks of the books (book, reverse, none). */
    public static final String ERP_ACTION = "jodoErpAction";
    /** ERPNext: the name of the Payment Entry found or made for this payment, or "" while there is none. */
    public static final String ERP_FOUND = "jodoErpFound";
    /** ERPNext: that entry's docstatus (0 draft, 1 submitted, 2 cancelled), or -1. */
    public static final String ERP_FOUND_STATUS = "jodoErpFoundStatus";

    /** A reconciliation route (&lt;transport&gt;-reconciliation), in: the school's day it reads, as yyyy-MM-dd. */
    public static final String DAY = "jodoDay";
    /**
     * A reconciliation route, out: {@code books} when the statuses it answers are the books' (booked, cancelled,
     * draft), else they are Jodo's statuses as delivered.
     */
    public static final String ERP_STATUSES = "jodoErpStatuses";

    private Flow() {
    }
}
