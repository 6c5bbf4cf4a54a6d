package com.jodoerp.bridge.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.jodoerp.bridge.delivery.TargetCatalog;
import com.jodoerp.bridge.flow.Flow;
import com.jodoerp.bridge.reconciliation.PaymentFact;
import com.jodoerp.bridge.reconciliation.PaymentLedger;
import com.jodoerp.bridge.observability.BridgeMetrics;
import com.jodoerp.bridge.store.ClaimLeases;
import com.jodoerp.bridge.store.Claims;
import com.jodoerp.bridge.store.Outcomes;
import com.jodoerp.bridge.store.StoredBodies;
import com.jodoerp.bridge.system.Redaction;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The stored events waiting for dispatch, read from the database rather than memory, so a restart or a
 * crash loses none: whatever was stored and not yet routed is simply still {@code PENDING}.
 */
@Component("dispatchQueue")
public class DispatchQueue {

    // Ordered by the whole index (dispatch_state, received_at), not received_at alone: H2 then reads the first
    // rows off the index instead of sorting every pending row, which made a backlog slower to drain the longer it got.
    private static final Claims.Queries CLAIM = new Claims.Queries("""
            SELECT event_id FROM inbox_event
             WHERE dispatch_state = 'PENDING' AND (claimed_until IS NULL OR claimed_until < :now)
             ORDER BY dispatch_state, received_at FETCH FIRST :limit ROWS ONLY""",
            (row, i) -> new MapSqlParameterSource("eventId", row.getString("event_id")), """
            UPDATE inbox_event SET claim_token = :token, claimed_until = :until
             WHERE event_id = :eventId AND dispatch_state = 'PENDING' AND (claimed_until IS NULL OR claimed_until < :now)""",
            "SELECT event_id, event_name, received_at," + StoredBodies.inBatch("raw_body") + ","
            + StoredBodies.storedBytes("raw_body", "canonical_record") + """
            FROM inbox_event WHERE event_id IN (:eventIds) AND claim_token = :token ORDER BY received_at""", """
            UPDATE inbox_event SET claim_token = NULL, claimed_until = NULL
             WHERE event_id = :eventId AND claim_token = :token""");
    private static final String RECORD = """
            UPDATE inbox_event SET dispatch_state = :state, family = :family, canonical_record = :record,
                   parked_reason = :reason, jodo_student_id = :student, dispatched_at = :now,
                   claim_token = NULL, claimed_until = NULL
             WHERE event_id = :eventId AND claim_token = :token""";
    private static final String RENEW = """
            UPDATE inbox_event SET claimed_until = :until WHERE claim_token = :token AND dispatch_state = 'PENDING'""";
    private static final String PLAN_DELIVERY = """
            INSERT INTO delivery (event_id, target, state, attempts, budget_attempts, next_attempt_at, created_at,
                                  retry_since)
            VALUES (:eventId, :target, 'PENDING', 0, 0, :now, :now, :now)""";

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final TargetCatalog targets;
    private final DispatchProperties properties;
    private final BridgeMetrics metrics;
    private final ClaimLeases leases;
    private final PaymentLedger ledger;
    private final StoredBodies bodies;
    private final Clock clock;

    public DispatchQueue(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction, TargetCatalog targets,
                         DispatchProperties properties, BridgeMetrics metrics, ClaimLeases leases, PaymentLedger ledger,
                         StoredBodies bodies, Clock clock) {
        this.ledger = ledger;
        this.bodies = bodies;
        this.leases = leases;
        this.metrics = metrics;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.targets = targets;
        this.properties = properties;
        this.clock = clock;
    }

    /** Takes up to a batch of pending events for this instance; the body becomes the list of them. */
    public List<StoredEvent> claim(Exchange exchange) {
        Claims.Batch<StoredEvent> batch = Claims.take(jdbc, CLAIM, Map.of(), leases.newToken(), Instant.now(clock),
                properties.claimLease(), properties.batchSize(), (row, i) -> new StoredEvent(
                        row.getString("event_id"), row.getString("event_name"), row.getBytes("raw_body"),
                        row.getObject("received_at", OffsetDateTime.class).toInstant()));
        exchange.setProperty(Flow.DISPATCH_CLAIM, batch.token());
        exchange.setProperty(Flow.BATCH_FULL, batch.cut() || batch.rows().size() >= properties.batchSize());
        if (!batch.rows().isEmpty()) {
            leases.hold(batch.token(), RENEW, new MapSqlParameterSource("token", batch.token()),
                    properties.claimLease());
        }
        return batch.rows();
    }

    /** Puts one stored event on the exchange as the intake left it: raw bytes as body, the envelope as properties. */
    public void open(Exchange exchange) {
        StoredEvent event = exchange.getMessage().getBody(StoredEvent.class);
        exchange.setProperty(Flow.EVENT_ID, event.eventId());
        exchange.setProperty(Flow.EVENT, event.event());
        exchange.setProperty(Flow.RECEIVED_AT, event.receivedAt());
        exchange.getMessage().setBody(bodies.of(event.eventId(), event.rawBody()));
    }

    /**
     * Records a batch's outcomes and plans the deliveries of the routed events, in one transaction. An event
     * whose claim was lost meanwhile (lease ran out, another instance took it) is left to that instance. Should the
     * batch not be writable together, each event is recorded alone; one that cannot be recorded even alone is
     * parked as failed, saying why.
     */
    public void record(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<DispatchOutcome> outcomes = exchange.getMessage().getBody(List.class);
        String token = exchange.getProperty(Flow.DISPATCH_CLAIM, String.class);
        if (token != null) {
            leases.release(token);
        }
        if (outcomes == null || outcomes.isEmpty() || token == null) {
            return;
        }
        OffsetDateTime now = Claims.utc(Instant.now(clock));
        Outcomes.write(transaction, outcomes, batch -> write(batch, token, now), (outcome, error) -> write(List.of(
                DispatchOutcome.failed(outcome.eventId(), outcome.event(), outcome.family(),
                        "recording the dispatch failed: " + Redaction.summary(error, 1900), null)), token, now));
        outcomes.forEach(outcome -> metrics.dispatched(outcome.family(), outcome.state()));
    }

    private void write(List<DispatchOutcome> outcomes, String token, OffsetDateTime now) {
        SqlParameterSource[] updates = outcomes.stream().map(outcome -> new MapSqlParameterSource()
                .addValue("state", outcome.state())
                .addValue("family", outcome.family())
                .addValue("record", outcome.canonicalRecord())
                .addValue("reason", outcome.reason())
                .addValue("student", outcome.studentId() == null || outcome.studentId().length() > 128 ? null
                        : outcome.studentId())
                .addValue("now", now)
                .addValue("eventId", outcome.eventId())
                .addValue("token", token)).toArray(SqlParameterSource[]::new);
        int[] updated = jdbc.batchUpdate(RECORD, updates);
        List<SqlParameterSource> deliveries = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            DispatchOutcome outcome = outcomes.get(i);
            if (updated[i] != 1 || !outcome.routed()) {
                continue;
            }
            for (String target : targets.targetsFor(outcome.family(), outcome.event())) {
                deliveries.add(new MapSqlParameterSource()
                        .addValue("eventId", outcome.eventId())
                        .addValue("target", target)
                        .addValue("now", now));
            }
        }
        if (!deliveries.isEmpty()) {
            jdbc.batchUpdate(PLAN_DELIVERY, deliveries.toArray(SqlParameterSource[]::new));
        }
        List<PaymentFact> payments = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (updated[i] == 1 && outcomes.get(i).payment() != null) {
                payments.add(outcomes.get(i).payment());
            }
        }
        ledger.record(payments);
    }
}
