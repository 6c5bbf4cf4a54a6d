package com.jodoerp.bridge.delivery;

import java.time.Duration;

/** A target that could not take a record now but may later (a 503, a 429): retried within the budget. */
public class TransientDeliveryException extends RuntimeException {

    private final Duration retryAfter;

    /** @param retryAfter how long the target asked us to wait, or null */
    public TransientDeliveryException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
