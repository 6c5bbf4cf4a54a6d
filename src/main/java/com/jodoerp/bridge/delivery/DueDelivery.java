package com.jodoerp.bridge.delivery;

import java.time.Instant;

/**
 * A delivery taken for an attempt now, with what its route needs.
 *
 * @param attempts       attempts so far, all told
 * @param budgetAttempts attempts since the retry budget started (at the first plan, or the last replay)
 * @param retrySince     when the retry budget started
 * @param receivedAt     when the bridge accepted the event
 * @param rawBody        null when too large to be read with its batch (StoredBodies)
 */
public record DueDelivery(String eventId, String target, int attempts, int budgetAttempts, Instant retrySince,
                          Instant receivedAt, String event, String family, String canonicalRecord, byte[] rawBody) {
}
