package com.jodoerp.bridge.observability;

import com.jodoerp.bridge.system.Redaction;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Health of the work behind the 202s: how old the oldest record waiting for a target is, how many dead letters wait
 * for an operator, and how much work is stuck (due for over twice its lease, never attempted). Down only when the
 * store cannot be read; the numbers are for alerting.
 */
@Component("deliveries")
public class DeliveryHealth implements HealthIndicator {

    private final BridgeMetrics metrics;

    public DeliveryHealth(BridgeMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Health health() {
        try {
            return Health.up()
                    .withDetail("oldestUndeliveredSeconds", metrics.oldestUndelivered().toSeconds())
                    .withDetail("deadLetters", metrics.deadLetters())
                    .withDetail("stuckDeliveries", metrics.stuckDeliveries())
                    .withDetail("stuckEvents", metrics.stuckEvents())
                    .build();
        } catch (DataAccessException e) {
            return Health.down().withDetail("error", Redaction.summary(e, 300)).build();
        }
    }
}
