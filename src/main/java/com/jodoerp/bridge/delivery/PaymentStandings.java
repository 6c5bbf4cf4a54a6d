package com.jodoerp.bridge.delivery;

import java.util.Optional;

/**
 * How the bridge's ledger says a payment stands now, whatever record of it is being delivered: records of one payment
 * may reach the books in any order, and the one of highest precedence decides (canonical Lifecycle).
 */
public interface PaymentStandings {

    /** Whether the payment's winning record says the money never came (bounced, failed, expired). */
    boolean neverCame(String paymentId);

    /**
     * The canonical record (its stored JSON) that last booked the payment's money while it won the ledger, if the
     * bridge still keeps it: the receipt books that cannot be asked have, when a bounce then outranks it.
     */
    Optional<String> bookingRecord(String paymentId);
}
