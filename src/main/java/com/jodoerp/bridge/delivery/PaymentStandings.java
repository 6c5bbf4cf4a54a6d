package com.jodoerp.bridge.delivery;

/**
 * How the bridge's ledger says a payment stands now, whatever record of it is being delivered: records of one payment
 * may reach the books in any order, and the one of highest precedence decides (canonical Lifecycle).
 */
@FunctionalInterface
public interface PaymentStandings {

    /** Whether the payment's winning record says the money never came (bounced, failed, expired). */
    boolean neverCame(String paymentId);
}
