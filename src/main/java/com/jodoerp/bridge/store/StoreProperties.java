package com.jodoerp.bridge.store;

import com.jodoerp.bridge.flow.Settings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How the bridge keeps its own store ({@code bridge.store.*}).
 *
 * @param compactionPerSecond embedded H2 only: live data copied per second at most out of half-empty chunks, to keep
 *                            the file near its live size (0: never)
 */
@ConfigurationProperties("bridge.store")
public record StoreProperties(DataSize compactionPerSecond) {

    public StoreProperties {
        compactionPerSecond = Settings.required(compactionPerSecond, "bridge.store.compaction-per-second");
        if (compactionPerSecond.isNegative() || compactionPerSecond.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bridge.store.compaction-per-second must be between 0 and 2GB, got "
                    + compactionPerSecond);
        }
    }
}
