package com.jodoerp.bridge.inbox;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One verified webhook on its way into the store, as the request thread hands it to a writer: what the
 * inbox row needs, and the future the request waits on for its batch's commit.
 */
final class ReceivedWebhook {

    final String eventId;
    final String event;
    final Long timestamp;
    final Instant receivedAt;
    final String remoteAddress;
    final byte[] rawBody;

    /** Completes with {@code true} for a copy of an event already stored, {@code false} for a new one. */
    final CompletableFuture<Boolean> committed = new CompletableFuture<>();

    /** Set once, by whichever comes first: a writer taking it, or the request giving up waiting for one. */
    private final AtomicBoolean decided = new AtomicBoolean();

    /** The outcome of the attempt under way; it counts only once the attempt's transaction commits. */
    volatile boolean duplicate;

    ReceivedWebhook(String eventId, String event, Long timestamp, Instant receivedAt, String remoteAddress,
                    byte[] rawBody) {
        this.eventId = eventId;
        this.event = event;
        this.timestamp = timestamp;
        this.receivedAt = receivedAt;
        this.remoteAddress = remoteAddress;
        this.rawBody = rawBody;
    }

    /**
     * Decides who has it, once: a writer taking it to store, or the request giving up on waiting. True for the
     * first caller only: a writer must not store a webhook already answered 503, and a request must wait for
     * the commit of one a writer already has.
     */
    boolean decide() {
        return decided.compareAndSet(false, true);
    }
}
