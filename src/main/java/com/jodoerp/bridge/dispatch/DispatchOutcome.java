package com.jodoerp.bridge.dispatch;

/**
 * What dispatch made of one event: routed with its canonical record, or parked with the reason.
 *
 * @param state one of {@code ROUTED}, {@code UNROUTED}, {@code FAILED}
 */
public record DispatchOutcome(String eventId, String event, String state, String family, String canonicalRecord,
                              String reason) {

    public static DispatchOutcome routed(String eventId, String event, String family, String canonicalRecord) {
        return new DispatchOutcome(eventId, event, "ROUTED", family, canonicalRecord, null);
    }

    public static DispatchOutcome unrouted(String eventId, String event, String family, String reason) {
        return new DispatchOutcome(eventId, event, "UNROUTED", family, null, reason);
    }

    public static DispatchOutcome failed(String eventId, String event, String family, String reason) {
        return new DispatchOutcome(eventId, event, "FAILED", family, null, reason);
    }

    public boolean routed() {
        return "ROUTED".equals(state);
    }
}
