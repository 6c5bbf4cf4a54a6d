package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** A hold threshold the bridge cannot use stops start-up naming the setting. */
class DeliveryPropertiesTest {

    private static final DeliveryProperties.Retry RETRY = new DeliveryProperties.Retry(500, Duration.ofHours(48),
            Duration.ofSeconds(5), Duration.ofMinutes(15));

    @Test
    void aSlowAttemptThresholdThatIsNotPositiveOrMissingIsRefused() {
        for (Duration threshold : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), null}) {
            assertThatThrownBy(() -> new DeliveryProperties(Duration.ofMillis(200), 200, Duration.ofMinutes(5), 8,
                    threshold, RETRY)).as(String.valueOf(threshold))
                    .hasMessageContaining("bridge.delivery.slow-attempt");
        }
    }
}
