package com.jodoerp.bridge.dispatch;

/**
 * What dispatch made of one event: routed with its canonical record, or parked with the reason.
 *
 * @param state     one of {@code ROUTED}, {@code UNROUTED}, {@code FAILED}
 * @param studentId Jodo's student id as a string, where the event names one (for operators' filters)
 */
public record DispatchOutcome(String eventId, String event, String state, String family, String canonicalRecord,
                              String reason, String studentId) {

    public static DispatchOutcome routed(String eventId, String event, String family, String canonicalRecord,
                                         String studentId) {
        return new DispatchOutcome(eventId, event, "ROUTED", family, canonicalRecord, null, studentId);
    }

    public static DispatchOutcome unrouted(String eventId, String event, String family, String reason,
                                           String studentId) {
        return new DispatchOutcome(eventId, event, "UNROUTED", family, null, reason, studentId);
    }

    public static DispatchOutcome failed(String eventId, String event, String family, String reason,
                                         String studentId) {
        return new DispatchOutcome(eventId, event, "FAILED", family, null, reason, studentId);
    }

    public boolean routed() {
        return "ROUTED".equals(state);
    }
}
