package com.jodoerp.bridge.dispatch;

import java.time.Instant;

/** An accepted webhook as the inbox holds it, taken for dispatch. */
public record StoredEvent(String eventId, String event, byte[] rawBody, Instant receivedAt) {
}
