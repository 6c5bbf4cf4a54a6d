package com.jodoerp.bridge.canonical;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The 36 events Jodo documents, with what each one is about. An event name not listed here is never
 * guessed at: it is parked as unrouted until a route for it exists.
 */
public final class EventCatalog {

    /** What an event is about ({@code kind}) and, for money events, which Jodo product took the money. */
    public record EventType(String kind, String product) {
    }

    private static final Map<String, EventType> EVENTS = new HashMap<>();
    private static final Set<String> ORDER_PRODUCTS = Set.of("order", "page", "payment_link");

    static {
        add("student", null, "masterdata.student.registered", "masterdata.student.activated",
                "masterdata.student.dropped");
        add("payment", "direct", "direct.payment.added", "direct.payment.updated",
                "direct.payment.cancelled");
        add("subscription", null, "flex.subscription.setup", "flex.subscription.active",
                "flex.subscription.updated", "flex.subscription.cancelled", "flex.subscription.closed",
                "flex.mandate.cancelled", "flex.mandate.expired");
        add("payment", "flex", "flex.instalment.debited", "flex.instalment.settled",
                "flex.instalment.bounced", "flex.downpayment.debited", "flex.downpayment.settled");
        add("payment", "pay", "pay.payment.debited", "pay.payment.settled");
        add("payment", "order", "order.payment.debited", "order.payment.settled");
        add("payment", "page", "page.payment.debited", "page.payment.settled");
        add("payment", "payment_link", "payment_link.payment.debited", "payment_link.payment.settled",
                "payment_link.payment.expired");
        add("loan", null, "cred.loan.application_started", "cred.loan.application_filled",
                "cred.loan.agreement_signed", "cred.loan.final_approved", "cred.loan.rejected", "cred.loan.canceled",
                "cred.loan.application_expired", "cred.loan.disbursed");
        add("payment", "cred", "cred.emi.debited");
    }

    private EventCatalog() {
    }

    public static Optional<EventType> lookup(String event) {
        return Optional.ofNullable(EVENTS.get(event));
    }

    public static int size() {
        return EVENTS.size();
    }

    /** Products whose payments are Pay orders (order, hosted page, payment link): no student, a payer instead. */
    static boolean isOrder(EventType type) {
        return type.product() != null && ORDER_PRODUCTS.contains(type.product());
    }

    private static void add(String kind, String product, String... events) {
        for (String event : events) {
            EVENTS.put(event, new EventType(kind, product));
        }
    }
}
