package com.jodoerp.bridge.delivery;

import java.time.Instant;

/**
 * How one attempt went.
 *
 * @param error     null when delivered; otherwise a masked one-line summary
 * @param permanent the target refused it for good: no retry
 */
public record DeliveryOutcome(String eventId, String target, int attempts, Instant createdAt, String error,
                              boolean permanent) {

    public boolean delivered() {
        return error == null;
    }
}
