package com.jodoerp.bridge.dispatch;

import java.time.Duration;

import com.jodoerp.bridge.flow.Settings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How stored events are picked up for routing and mapping ({@code bridge.dispatch.*}).
 *
 * @param pollInterval how often the store is looked at for new events
 * @param batchSize    how many events one look takes at most
 * @param claimLease   how long an instance may hold events it took before another may take them
 */
@ConfigurationProperties("bridge.dispatch")
public record DispatchProperties(Duration pollInterval, int batchSize, Duration claimLease) {

    public DispatchProperties {
        pollInterval = Settings.required(pollInterval, "bridge.dispatch.poll-interval");
        claimLease = Settings.required(claimLease, "bridge.dispatch.claim-lease");
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("bridge.dispatch.batch-size must be between 1 and 10000, got " + batchSize);
        }
        if (pollInterval.toMillis() < 10) {
            throw new IllegalArgumentException("bridge.dispatch.poll-interval must be at least 10ms, got " + pollInterval);
        }
        if (claimLease.toSeconds() < 3) {
            throw new IllegalArgumentException("bridge.dispatch.claim-lease must be at least 3s"
                    + " (claims are renewed once a second), got " + claimLease);
        }
    }
}
