package com.jodoerp.bridge.dispatch;

import com.jodoerp.bridge.reconciliation.PaymentFact;

/**
 * What dispatch made of one event: routed with its canonical record, or parked with the reason.
 *
 * @param state     one of {@code ROUTED}, {@code UNROUTED}, {@code FAILED}
 * @param studentId Jodo's student id as a string, where the event names one (for operators' filters)
 * @param payment   what a routed payment record says about its payment, for the ledger; else null
 */
public record DispatchOutcome(String eventId, String event, String state, String family, String canonicalRecord,
                              String reason, String studentId, PaymentFact payment) {

    public static DispatchOutcome routed(String eventId, String event, String family, String canonicalRecord,
                                         String studentId, PaymentFact payment) {
        return new DispatchOutcome(eventId, event, "ROUTED", family, canonicalRecord, null, studentId, payment);
    }

    public static DispatchOutcome unrouted(String eventId, String event, String family, String reason,
                                           String studentId) {
        return new DispatchOutcome(eventId, event, "UNROUTED", family, null, reason, studentId, null);
    }

    public static DispatchOutcome failed(String eventId, String event, String family, String reason,
                                         String studentId) {
        return new DispatchOutcome(eventId, event, "FAILED", family, null, reason, studentId, null);
    }

    public boolean routed() {
        return "ROUTED".equals(state);
    }
}
