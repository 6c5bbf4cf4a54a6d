package com.jodoerp.bridge.deadletters;

import java.time.Duration;

import com.jodoerp.bridge.flow.Settings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How bulk replay jobs outlive the instance that runs them ({@code bridge.replay.*}).
 *
 * @param claimLease     how long a job stays with its instance without news from it; renewed while the job runs,
 *                       so only a dead instance loses its job
 * @param resumeInterval how often each instance looks for jobs whose instance is gone, to resume them
 */
@ConfigurationProperties("bridge.replay")
public record ReplayProperties(Duration claimLease, Duration resumeInterval) {

    public ReplayProperties {
        claimLease = Settings.required(claimLease, "bridge.replay.claim-lease");
        resumeInterval = Settings.required(resumeInterval, "bridge.replay.resume-interval");
        if (claimLease.toSeconds() < 3) {
            throw new IllegalArgumentException("bridge.replay.claim-lease must be at least 3s (claims are renewed once"
                    + " a second), got " + claimLease);
        }
        if (resumeInterval.toMillis() < 100) {
            throw new IllegalArgumentException("bridge.replay.resume-interval must be at least 100ms, got "
                    + resumeInterval);
        }
    }
}
