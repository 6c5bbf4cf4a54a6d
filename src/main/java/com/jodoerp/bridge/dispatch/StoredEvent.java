package com.jodoerp.bridge.dispatch;

import java.time.Instant;

/**
 * An accepted webhook as the inbox holds it, taken for dispatch; {@code rawBody} is null when too large to be read
 * with its batch (StoredBodies).
 */
public record StoredEvent(String eventId, String event, byte[] rawBody, Instant receivedAt) {
}
