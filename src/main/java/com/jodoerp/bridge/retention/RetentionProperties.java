package com.jodoerp.bridge.retention;

import java.time.Duration;

import com.jodoerp.bridge.flow.Settings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long the bridge keeps what it no longer needs ({@code bridge.retention.*}).
 *
 * @param delivered events whose deliveries are all done (delivered or discarded), and their history
 * @param dedupKeys event ids remembered for deduplication; never less than {@link #MINIMUM_DEDUP} nor
 *                  less than {@code delivered}, whatever is set, so a Jodo retry is never taken for new
 * @param interval  how often pruning runs
 * @param batchSize rows deleted per transaction, so pruning never holds up intake
 */
@ConfigurationProperties("bridge.retention")
public record RetentionProperties(Duration delivered, Duration dedupKeys, Duration interval, int batchSize) {

    /** Jodo retries for about 3 days; a week leaves room for a weekend's outage on top. */
    public static final Duration MINIMUM_DEDUP = Duration.ofDays(7);

    public RetentionProperties {
        delivered = Settings.required(delivered, "bridge.retention.delivered");
        dedupKeys = Settings.required(dedupKeys, "bridge.retention.dedup-keys");
        interval = Settings.required(interval, "bridge.retention.interval");
        if (delivered.isNegative() || delivered.isZero()) {
            throw new IllegalArgumentException("bridge.retention.delivered must be positive, got " + delivered);
        }
        // A timer's period of 0 fires once: pruning would run at start-up and never again, and the store would grow.
        if (interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("bridge.retention.interval must be between 100ms and 1d, got " + interval);
        }
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("bridge.retention.batch-size must be between 1 and 100000, got "
                    + batchSize);
        }
    }

    /** How long event ids are really kept: the longest of the setting, the events' retention and a week. */
    public Duration effectiveDedupKeys() {
        Duration longest = dedupKeys.compareTo(delivered) > 0 ? dedupKeys : delivered;
        return longest.compareTo(MINIMUM_DEDUP) > 0 ? longest : MINIMUM_DEDUP;
    }
}
