package com.jodoerp.bridge.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * How one attempt went.
 *
 * @param error     null when delivered; otherwise a masked one-line summary
 * @param permanent  the target refused it for good: no retry
 * @param retryAfter how long the target asked us to wait, or null
 */
public record DeliveryOutcome(String eventId, String target, int attempts, Instant createdAt, String error,
                              boolean permanent, Duration retryAfter) {

    public boolean delivered() {
        return error == null;
    }
}
