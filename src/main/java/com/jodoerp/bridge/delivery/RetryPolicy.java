package com.jodoerp.bridge.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.stereotype.Component;

/**
 * When to try a failed delivery again: exponential backoff with jitter, within a budget of attempts and age.
 * The jitter spreads retries out, so an ERP coming back is not hit by every waiting record at once.
 */
@Component
public class RetryPolicy {

    private final DeliveryProperties.Retry retry;

    public RetryPolicy(DeliveryProperties properties) {
        this.retry = properties.retry();
    }

    /**
     * The time of the next attempt after {@code attempts} failed ones, or null when the budget is spent.
     * A target's own {@code Retry-After}, when longer than the backoff, is honoured.
     */
    public Instant nextAttempt(int attempts, Instant retrySince, Instant now, Duration retryAfter) {
        if (attempts >= retry.maxAttempts() || !now.isBefore(retrySince.plus(retry.maxAge()))) {
            return null;
        }
        long base = retry.initialBackoff().toMillis();
        long capped = retry.maxBackoff().toMillis();
        long backoff = attempts >= 40 ? capped : Math.min(capped, base << Math.max(0, attempts - 1));
        long jittered = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        Duration wait = Duration.ofMillis(jittered);
        if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
            wait = retryAfter;
        }
        // The budget's last attempt is made at its deadline rather than skipped.
        Instant deadline = retrySince.plus(retry.maxAge());
        Instant next = now.plus(wait);
        return next.isAfter(deadline) ? deadline : next;
    }
}
