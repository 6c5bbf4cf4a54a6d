package com.jodoerp.bridge.inbox;

import java.time.Duration;

import com.jodoerp.bridge.flow.Settings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How accepted webhooks are committed to the store ({@code bridge.intake.*}).
 *
 * @param batchSize    how many webhooks one transaction commits at most (group commit)
 * @param writers      how many transactions may be committing at once
 * @param queueTimeout how long a webhook may wait for a writer before it is answered 503 (nothing stored)
 */
@ConfigurationProperties("bridge.intake")
public record IntakeProperties(int batchSize, int writers, Duration queueTimeout) {

    public IntakeProperties {
        queueTimeout = Settings.required(queueTimeout, "bridge.intake.queue-timeout");
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("bridge.intake.batch-size must be between 1 and 10000, got " + batchSize);
        }
        if (writers < 1 || writers > 64) {
            throw new IllegalArgumentException("bridge.intake.writers must be between 1 and 64, got " + writers);
        }
        if (queueTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("bridge.intake.queue-timeout must be at least 100ms, got " + queueTimeout);
        }
    }
}
