package com.jodoerp.bridge.system;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The bridge's own metrics (on /actuator/prometheus): webhooks by outcome, dispatch by family and outcome,
 * deliveries by family, target and outcome with their duration, intake batch sizes, and two gauges read from the store:
 * dead letters waiting for an operator and the age of the oldest record not yet delivered.
 */
@Component
public class BridgeMetrics {

    private static final String OLDEST_PENDING = """
            SELECT MIN(created_at) FROM delivery WHERE state = 'PENDING'""";
    private static final String DEAD_LETTERS = """
            SELECT (SELECT COUNT(*) FROM delivery WHERE state = 'DEAD')
                 + (SELECT COUNT(*) FROM inbox_event WHERE dispatch_state IN ('UNROUTED', 'FAILED'))""";

    private final MeterRegistry registry;
    private final JdbcTemplate jdbc;

    public BridgeMetrics(MeterRegistry registry, JdbcTemplate jdbc) {
        this.registry = registry;
        this.jdbc = jdbc;
        Gauge.builder("bridge.dead.letters", this, BridgeMetrics::deadLetters)
                .description("Deliveries and events parked for an operator").register(registry);
        Gauge.builder("bridge.oldest.undelivered.seconds", this, m -> m.oldestUndelivered().toSeconds())
                .description("Age of the oldest record not yet delivered to a target").register(registry);
    }

    public void webhook(String outcome) {
        Counter.builder("bridge.webhooks").tag("outcome", outcome).register(registry).increment();
    }

    /** One intake transaction: how many webhooks it committed together, and how long it took. */
    public void intakeCommitted(int webhooks, Duration took) {
        DistributionSummary.builder("bridge.intake.batch").description("Webhooks committed in one transaction")
                .baseUnit("webhooks").register(registry).record(webhooks);
        Timer.builder("bridge.intake.commit").description("One intake transaction, from start to commit")
                .register(registry).record(took);
    }

    public void dispatched(String family, String state) {
        Counter.builder("bridge.dispatched").tag("family", String.valueOf(family)).tag("outcome", state)
                .register(registry).increment();
    }

    public void delivered(String family, String target, String outcome, Duration took) {
        Counter.builder("bridge.deliveries").tag("family", String.valueOf(family)).tag("target", target)
                .tag("outcome", outcome).register(registry).increment();
        if (took != null) {
            Timer.builder("bridge.delivery.lag").description("From receipt to this outcome")
                    .publishPercentiles(0.5, 0.99)
                    .tag("family", String.valueOf(family)).tag("target", target).tag("outcome", outcome)
                    .register(registry).record(took);
        }
    }

    public long deadLetters() {
        Long count = jdbc.queryForObject(DEAD_LETTERS, Long.class);
        return count == null ? 0 : count;
    }

    public Duration oldestUndelivered() {
        OffsetDateTime oldest = jdbc.queryForObject(OLDEST_PENDING, OffsetDateTime.class);
        return oldest == null ? Duration.ZERO : Duration.between(oldest.toInstant(), Instant.now());
    }
}
