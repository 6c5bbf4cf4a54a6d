package com.jodoerp.bridge.delivery;

import java.time.Duration;

import com.jodoerp.bridge.flow.Settings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How deliveries are taken and retried ({@code bridge.delivery.*}).
 *
 * @param pollInterval how often due deliveries are looked for
 * @param batchSize    how many one look takes at most
 * @param claimLease   how long an instance may hold deliveries it took; longer than a batch can take
 * @param threads      deliveries attempted at once for each target without threads of its own
 *                     ({@code bridge.targets.<name>.threads}; DeliveryLanes)
 * @param slowAttempt  a failed attempt that took this long puts its target's other deliveries on hold
 *                     ({@link SlowTargets})
 * @param retry        the retry budget for transient failures
 */
@ConfigurationProperties("bridge.delivery")
public record DeliveryProperties(Duration pollInterval, int batchSize, Duration claimLease, int threads,
                                 Duration slowAttempt, Retry retry) {

    /** The most threads a target's deliveries may have: enough to wait on any ERP, not enough to exhaust memory. */
    static final int MAX_THREADS = 256;

    public DeliveryProperties {
        slowAttempt = Settings.required(slowAttempt, "bridge.delivery.slow-attempt");
        if (slowAttempt.isNegative() || slowAttempt.isZero()) {
            throw new IllegalArgumentException("bridge.delivery.slow-attempt must be positive, got " + slowAttempt);
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("bridge.delivery.threads must be between 1 and " + MAX_THREADS + ", got "
                    + threads);
        }
        pollInterval = Settings.required(pollInterval, "bridge.delivery.poll-interval");
        claimLease = Settings.required(claimLease, "bridge.delivery.claim-lease");
        retry = Settings.required(retry, "bridge.delivery.retry");
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("bridge.delivery.batch-size must be between 1 and 10000, got " + batchSize);
        }
        if (pollInterval.toMillis() < 10) {
            throw new IllegalArgumentException("bridge.delivery.poll-interval must be at least 10ms, got " + pollInterval);
        }
        if (claimLease.toSeconds() < 3) {
            throw new IllegalArgumentException("bridge.delivery.claim-lease must be at least 3s"
                    + " (claims are renewed once a second), got " + claimLease);
        }
    }

    /**
     * @param maxAttempts    attempts before a delivery becomes a dead letter
     * @param maxAge         time since the event was first planned for delivery after which it becomes a dead letter
     * @param initialBackoff wait after the first failure; doubled after each further one
     * @param maxBackoff     the longest wait between two attempts
     */
    public record Retry(int maxAttempts, Duration maxAge, Duration initialBackoff, Duration maxBackoff) {

        public Retry {
            maxAge = Settings.required(maxAge, "bridge.delivery.retry.max-age");
            initialBackoff = Settings.required(initialBackoff, "bridge.delivery.retry.initial-backoff");
            maxBackoff = Settings.required(maxBackoff, "bridge.delivery.retry.max-backoff");
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("bridge.delivery.retry.max-attempts must be at least 1, got "
                        + maxAttempts);
            }
            if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("bridge.delivery.retry.initial-backoff must be positive and at most"
                        + " bridge.delivery.retry.max-backoff");
            }
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("bridge.delivery.retry.max-age must be positive, got " + maxAge);
            }
        }
    }
}
