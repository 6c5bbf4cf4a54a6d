package com.jodoerp.bridge.reconciliation;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;

import com.jodoerp.bridge.flow.Settings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The daily reconciliation file ({@code bridge.reconciliation.*}).
 *
 * @param folder        where {@code reconciliation-<day>.csv} is written, once a day
 * @param time          when, in the school's time zone, the previous day's file is written
 * @param checkInterval how often the bridge looks whether the day's file is due (the reconcile-daily route's timer)
 */
@ConfigurationProperties("bridge.reconciliation")
public record ReconciliationProperties(Path folder, LocalTime time, Duration checkInterval) {

    public ReconciliationProperties {
        Settings.required(folder, "bridge.reconciliation.folder");
        Settings.required(time, "bridge.reconciliation.time");
        Settings.required(checkInterval, "bridge.reconciliation.check-interval");
        // A timer's period of 0 fires once: the day's file would be looked for at start-up only, and never written.
        if (checkInterval.compareTo(Duration.ofMillis(100)) < 0 || checkInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("bridge.reconciliation.check-interval must be between 100ms and 1h, got "
                    + checkInterval);
        }
    }
}
