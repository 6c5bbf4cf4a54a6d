package com.jodoerp.bridge.system;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;

import com.jodoerp.bridge.reconciliation.ReconciliationProperties;
import com.jodoerp.bridge.retention.RetentionProperties;
import org.junit.jupiter.api.Test;

/**
 * The settings that are a route's timer period: a Camel timer with a period of 0 fires once, so {@code 0s} started
 * the bridge and pruned once, or looked for the day's reconciliation file once, and never again, saying nothing.
 */
class TimerSettingsTest {

    private static final Duration DAY = Duration.ofDays(1);

    @Test
    void pruningThatWouldRunOnceOrAlmostNeverIsRefused() {
        for (Duration interval : new Duration[] {Duration.ZERO, Duration.ofSeconds(-5), Duration.ofDays(2)}) {
            assertThatThrownBy(() -> new RetentionProperties(DAY, DAY, interval, 1000))
                    .hasMessage("bridge.retention.interval must be between 100ms and 1d, got " + interval);
        }
        assertThatCode(() -> new RetentionProperties(DAY, DAY, Duration.ofMillis(100), 1000)).doesNotThrowAnyException();
    }

    @Test
    void aReconciliationCheckThatWouldRunOnceOrTooSeldomIsRefused() {
        for (Duration interval : new Duration[] {Duration.ZERO, Duration.ofMinutes(-1), Duration.ofHours(2)}) {
            assertThatThrownBy(() -> new ReconciliationProperties(Path.of("r"), LocalTime.of(6, 0), interval))
                    .hasMessage("bridge.reconciliation.check-interval must be between 100ms and 1h, got " + interval);
        }
        assertThatThrownBy(() -> new ReconciliationProperties(Path.of("r"), LocalTime.of(6, 0), null))
                .hasMessageContaining("bridge.reconciliation.check-interval is missing");
        assertThatCode(() -> new ReconciliationProperties(Path.of("r"), LocalTime.of(6, 0), Duration.ofHours(1)))
                .doesNotThrowAnyException();
    }
}
