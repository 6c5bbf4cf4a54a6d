package com.jodoerp.bridge.delivery;

import java.time.Instant;

/** A delivery taken for an attempt now, with what its route needs. */
public record DueDelivery(String eventId, String target, int attempts, Instant createdAt, String event,
                          String family, String canonicalRecord, byte[] rawBody) {
}
