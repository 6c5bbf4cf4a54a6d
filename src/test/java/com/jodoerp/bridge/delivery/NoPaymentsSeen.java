package com.jodoerp.bridge.delivery;

import java.util.Optional;

/** The standings of a ledger that has seen no payment yet: for targets built outside a running bridge. */
final class NoPaymentsSeen implements PaymentStandings {

    @Override
    public Receipt.Intent standing(String paymentId) {
        return Receipt.Intent.NONE;
    }

    @Override
    public Optional<String> bookingRecord(String paymentId) {
        return Optional.empty();
    }
}
