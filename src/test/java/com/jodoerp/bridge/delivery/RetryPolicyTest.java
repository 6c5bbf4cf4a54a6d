package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.jodoerp.bridge.support.DefaultSettings;
import org.junit.jupiter.api.Test;

/** When a failed delivery is tried again: doubling waits with jitter, a target's Retry-After, and the budget. */
class RetryPolicyTest {

    private static final Instant SINCE = Instant.parse("2026-12-01T10:00:00Z");
    private final RetryPolicy policy = new RetryPolicy(DefaultSettings.bind("bridge.delivery", DeliveryProperties.class,
            Map.of("bridge.delivery.retry.max-attempts", 5, "bridge.delivery.retry.max-age", "1h",
                    "bridge.delivery.retry.initial-backoff", "10s", "bridge.delivery.retry.max-backoff", "60s")));

    @Test
    void waitsDoubleWithJitterUpToTheLongestWait() {
        for (int attempts = 1; attempts <= 4; attempts++) {
            long full = Math.min(60, 10L << (attempts - 1));
            for (int run = 0; run < 50; run++) {
                Duration wait = Duration.between(SINCE, policy.nextAttempt(attempts, SINCE, SINCE, null));
                assertThat(wait.toMillis()).as("after %d failures", attempts)
                        .isBetween(full * 500, full * 1000);
            }
        }
    }

    @Test
    void aLongerRetryAfterIsHonouredAndTheBudgetEndsIt() {
        assertThat(policy.nextAttempt(1, SINCE, SINCE, Duration.ofMinutes(5))).isEqualTo(SINCE.plusSeconds(300));
        assertThat(policy.nextAttempt(5, SINCE, SINCE, null)).as("attempts spent").isNull();
        assertThat(policy.nextAttempt(1, SINCE, SINCE.plus(Duration.ofHours(1)), null)).as("too old").isNull();
        // The last attempt of the budget is made at its deadline rather than skipped.
        assertThat(policy.nextAttempt(1, SINCE, SINCE.plus(Duration.ofMinutes(59)), Duration.ofMinutes(10)))
                .isEqualTo(SINCE.plus(Duration.ofHours(1)));
    }
}
