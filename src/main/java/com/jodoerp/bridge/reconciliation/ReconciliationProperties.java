package com.jodoerp.bridge.reconciliation;

import java.nio.file.Path;
import java.time.LocalTime;

import com.jodoerp.bridge.flow.Settings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The daily reconciliation file ({@code bridge.reconciliation.*}).
 *
 * @param folder where {@code reconciliation-<day>.csv} is written, once a day
 * @param time   when, in the school's time zone, the previous day's file is written
 */
@ConfigurationProperties("bridge.reconciliation")
public record ReconciliationProperties(Path folder, LocalTime time) {

    public ReconciliationProperties {
        Settings.required(folder, "bridge.reconciliation.folder");
        Settings.required(time, "bridge.reconciliation.time");
    }
}
