package com.jodoerp.bridge.observability;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

import com.jodoerp.bridge.store.Claims;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The bridge's own metrics (on /actuator/prometheus): webhooks by outcome, dispatch by family and outcome,
 * deliveries by family, target and outcome with their duration, intake batch sizes, and gauges read from the store:
 * dead letters waiting for an operator, the age of the oldest record not yet delivered, and stuck work.
 */
@Component
public class BridgeMetrics {

    private static final String OLDEST_PENDING = """
            SELECT MIN(created_at) FROM delivery WHERE state = 'PENDING'""";
    private static final String DEAD_LETTERS = """
            SELECT (SELECT COUNT(*) FROM delivery WHERE state = 'DEAD')
                 + (SELECT COUNT(*) FROM inbox_event WHERE dispatch_state IN ('UNROUTED', 'FAILED'))""";

    // Bounded: in a backlog of millions the count says "at least this many" and stays cheap to scrape.
    private static final String STUCK_DELIVERIES = """
            SELECT COUNT(*) FROM (SELECT 1 FROM delivery WHERE state = 'PENDING' AND next_attempt_at < ?
                                  FETCH FIRST 10000 ROWS ONLY) stuck""";
    private static final String STUCK_EVENTS = """
            SELECT COUNT(*) FROM (SELECT 1 FROM inbox_event WHERE dispatch_state = 'PENDING' AND received_at < ?
                                  FETCH FIRST 10000 ROWS ONLY) stuck""";

    /** Work that has been free to take for longer than this many of its leases is stuck, not merely waiting. */
    private static final int STUCK_AFTER_LEASES = 2;
    /** Delivery lag buckets: from well within the 1 s objective to a delivery retried for hours. */
    private static final Duration[] LAG_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6)};

    private final MeterRegistry registry;
    private final JdbcTemplate jdbc;
    private final Duration deliveryLease;
    private final Duration dispatchLease;

    public BridgeMetrics(MeterRegistry registry, JdbcTemplate jdbc,
                         @Value("${bridge.delivery.claim-lease}") Duration deliveryLease,
                         @Value("${bridge.dispatch.claim-lease}") Duration dispatchLease) {
        this.registry = registry;
        this.jdbc = jdbc;
        this.deliveryLease = deliveryLease;
        this.dispatchLease = dispatchLease;
        Gauge.builder("bridge.stuck.work", this, m -> m.stuckDeliveries()).tag("kind", "delivery")
                .description("Deliveries due for longer than twice their claim lease and still not attempted")
                .register(registry);
        Gauge.builder("bridge.stuck.work", this, m -> m.stuckEvents()).tag("kind", "event")
                .description("Stored events waiting for dispatch for longer than twice their claim lease")
                .register(registry);
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
            // Buckets, not client-side quantiles: they count, over any window a query picks, how many arrived within
            // each bound (what a lag objective is written against, and what histogram_quantile estimates from).
            Timer.builder("bridge.delivery.lag").description("From receipt to this outcome")
                    .serviceLevelObjectives(LAG_BUCKETS)
                    .tag("family", String.valueOf(family)).tag("target", target).tag("outcome", outcome)
                    .register(registry).record(took);
        }
    }

    public long deadLetters() {
        Long count = jdbc.queryForObject(DEAD_LETTERS, Long.class);
        return count == null ? 0 : count;
    }

    /**
     * Deliveries that have been due, and free to claim, for longer than twice their lease without being attempted:
     * a batch that keeps failing before its outcomes are recorded looks exactly like this (at most 10,000 counted).
     */
    public long stuckDeliveries() {
        return count(STUCK_DELIVERIES, deliveryLease);
    }

    /** Stored events not dispatched within twice the dispatch lease (at most 10,000 counted). */
    public long stuckEvents() {
        return count(STUCK_EVENTS, dispatchLease);
    }

    private long count(String sql, Duration lease) {
        Long count = jdbc.queryForObject(sql, Long.class,
                Claims.utc(Instant.now().minus(lease.multipliedBy(STUCK_AFTER_LEASES))));
        return count == null ? 0 : count;
    }

    public Duration oldestUndelivered() {
        OffsetDateTime oldest = jdbc.queryForObject(OLDEST_PENDING, OffsetDateTime.class);
        return oldest == null ? Duration.ZERO : Duration.between(oldest.toInstant(), Instant.now());
    }
}
