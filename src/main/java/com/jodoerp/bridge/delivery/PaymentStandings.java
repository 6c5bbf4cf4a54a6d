package com.jodoerp.bridge.delivery;

import java.util.Optional;

/**
 * How the bridge's ledger says a payment stands now, whatever record of it is being delivered: records of one payment
 * may reach the books in any order, and the one of highest precedence decides (canonical Lifecycle).
 */
public interface PaymentStandings {

    /**
     * What the payment's winning record asks of the books (Receipt.intentOf its status): VOID when the money never
     * came (bounced, failed, expired), REVERSE when it was cancelled or reversed, BOOK when it came in; NONE when the
     * bridge has no record of the payment.
     */
    Receipt.Intent standing(String paymentId);

    /**
     * The canonical record (its stored JSON) that last booked the payment's money while it won the ledger, if the
     * bridge still keeps it: the receipt books that cannot be asked have, when a bounce then outranks it.
     */
    Optional<String> bookingRecord(String paymentId);
}
