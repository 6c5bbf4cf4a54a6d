package com.jodoerp.bridge.delivery;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.jodoerp.bridge.canonical.JodoJson;
import com.jodoerp.bridge.flow.Flow;
import com.jodoerp.bridge.observability.BridgeMetrics;
import com.jodoerp.bridge.observability.EventLogContext;
import com.jodoerp.bridge.store.ClaimLeases;
import com.jodoerp.bridge.store.Claims;
import com.jodoerp.bridge.store.Outcomes;
import com.jodoerp.bridge.store.StoredBodies;
import com.jodoerp.bridge.system.Redaction;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deliveries due now, taken from the database with a claim so no two instances attempt the same
 * (event, target) at once, and their outcomes written back in one transaction per batch.
 */
@Component("deliveryQueue")
public class DeliveryQueue {

    private static final Logger log = LoggerFactory.getLogger(DeliveryQueue.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final String RENEW = """
            UPDATE delivery SET claimed_until = :until WHERE claim_token = :token AND state = 'PENDING'""";
    /** The claim of one delivery whose attempt is out apart from its batch (answerLater). */
    private static final String RENEW_ONE = """
            UPDATE delivery SET claimed_until = :until
             WHERE claim_token = :token AND event_id = :eventId AND target = :target AND state = 'PENDING'""";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    /** A lane's due rows, read off the index (target, state, next_attempt_at) in its order; see Claims. */
    private static final Claims.Queries CLAIM_LANE = claimQueries("""
            SELECT event_id, target FROM delivery
             WHERE target = :target AND state = 'PENDING' AND next_attempt_at <= :now
               AND (claimed_until IS NULL OR claimed_until < :now)
             ORDER BY target, state, next_attempt_at FETCH FIRST :limit ROWS ONLY""");
    /**
     * The due rows of targets without a lane here, read off the index (state, next_attempt_at): it passes over the
     * lanes' due rows too, which is why the lane "*" looks only every {@link #OTHER_TARGETS_EVERY}.
     */
    private static final Claims.Queries CLAIM_OTHER_TARGETS = claimQueries("""
            SELECT event_id, target FROM delivery
             WHERE state = 'PENDING' AND next_attempt_at <= :now AND (claimed_until IS NULL OR claimed_until < :now)
               AND target NOT IN (:lanes)
             ORDER BY state, next_attempt_at FETCH FIRST :limit ROWS ONLY""");
    /** The lane of the targets that have none of their own (deliver-due-records.camel.yaml). */
    private static final String OTHER_TARGETS = "*";
    /** How often the lane "*" looks for work, unless its last batch was full. */
    private static final Duration OTHER_TARGETS_EVERY = Duration.ofSeconds(10);

    private static final String DELIVERED = """
            UPDATE delivery SET state = 'DELIVERED', attempts = attempts + 1, budget_attempts = budget_attempts + 1,
                   delivered_at = :now, last_error = NULL,
                   claim_token = NULL, claimed_until = NULL
             WHERE event_id = :eventId AND target = :target AND claim_token = :token""";
    private static final String FAILED = """
            UPDATE delivery SET state = :state, attempts = attempts + 1, budget_attempts = budget_attempts + 1,
                   next_attempt_at = :next,
                   first_failed_at = COALESCE(first_failed_at, :now), last_failed_at = :now, last_error = :error,
                   claim_token = NULL, claimed_until = NULL
             WHERE event_id = :eventId AND target = :target AND claim_token = :token""";

    /**
     * The record that undid a payment (cancelled, reversed, bounced) is delivered again to a target whose books it
     * reached while the payment's booking was still on its way there (the booking's attempt had begun, and its entry
     * or voucher was made after): the books would otherwise keep the money. Its second delivery finds the booking and
     * undoes it, as it would have had the booking come first.
     */
    private static final String REDELIVER_UNDOING = """
            UPDATE delivery SET state = 'PENDING', next_attempt_at = :now, retry_since = :now, budget_attempts = 0,
                   claim_token = NULL, claimed_until = NULL
             WHERE target = :target AND state = 'DELIVERED' AND delivered_at >= :attemptStarted
               AND event_id = (SELECT event_id FROM payment_ledger
                                WHERE payment_id = :paymentId AND event_id <> :eventId AND status IN (%s))"""
            .formatted(Receipt.undoingStatuses().stream().map(status -> "'" + status + "'")
                    .collect(Collectors.joining(", ")));

    private static final String ATTEMPT = """
            INSERT INTO delivery_attempt (event_id, target, attempt, attempted_at, outcome, error, http_status,
                                          error_class, duration_ms, next_attempt_at)
            VALUES (:eventId, :target, :attempt, :now, :outcome, :error, :httpStatus, :errorClass, :durationMs,
                    :nextAttempt)""";

    /** When this delivery's attempt began (System.nanoTime), for its duration. */
    private static final String ATTEMPT_STARTED = "jodoAttemptStarted";
    /** Set once SlowTargets let the attempt go to its target: only such an attempt says whether the target answers. */
    private static final String ADMITTED = "jodoAttemptAdmitted";
    /** True when the attempt is the probe of a target on hold. */
    static final String PROBE = "jodoProbe";
    /** True when the attempt goes to its target apart from its batch (CallsApart; deliver-due-records.camel.yaml). */
    static final String CALL_APART = "jodoCallApart";
    /** Set when the attempt went on waiting apart: its outcome is written when it is answered (answerLater). */
    private static final String ANSWERED_LATER = "jodoAnsweredLater";
    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final DeliveryProperties properties;
    private final RetryPolicy retry;
    private final TargetRoutes routes;
    private final BridgeMetrics metrics;
    private final ClaimLeases leases;
    private final SlowTargets slowTargets;
    private final StoredBodies bodies;
    private final Clock clock;
    /** OTHER_TARGETS_EVERY, or the claim lease if shorter: health calls work due for two leases stuck. */
    private final Duration otherTargetsEvery;
    /** When the lane "*" looks again. */
    private volatile Instant otherTargetsDue = Instant.MIN;

    public DeliveryQueue(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction,
                         DeliveryProperties properties, RetryPolicy retry, TargetRoutes routes, BridgeMetrics metrics,
                         ClaimLeases leases, SlowTargets slowTargets, StoredBodies bodies, Clock clock) {
        this.leases = leases;
        this.bodies = bodies;
        this.slowTargets = slowTargets;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.properties = properties;
        this.retry = retry;
        this.routes = routes;
        this.metrics = metrics;
        this.clock = clock;
        this.otherTargetsEvery = OTHER_TARGETS_EVERY.compareTo(properties.claimLease()) <= 0 ? OTHER_TARGETS_EVERY
                : properties.claimLease();
    }

    /** Takes a batch of the lane's due deliveries (exchangeProperty.jodoLane: a target, or "*"). */
    public List<DueDelivery> claim(Exchange exchange) {
        String lane = exchange.getProperty(Flow.LANE, OTHER_TARGETS, String.class);
        Instant now = Instant.now(clock);
        boolean otherTargets = OTHER_TARGETS.equals(lane);
        if (!routes.ready() || otherTargets && now.isBefore(otherTargetsDue)) {
            exchange.setProperty(Flow.BATCH_FULL, false);
            return List.of();
        }
        // A name no target has stands for none: SQL has no empty NOT IN list.
        Map<String, Object> filter = otherTargets
                ? Map.of("lanes", routes.targets().isEmpty() ? List.of("") : List.copyOf(routes.targets()))
                : Map.of("target", lane);
        Claims.Batch<DueDelivery> batch = Claims.take(jdbc, otherTargets ? CLAIM_OTHER_TARGETS : CLAIM_LANE, filter,
                leases.newToken(), now, properties.claimLease(), properties.batchSize(), (row, i) -> new DueDelivery(
                        row.getString("event_id"), row.getString("target"), row.getInt("attempts"),
                        row.getInt("budget_attempts"), row.getObject("retry_since", OffsetDateTime.class).toInstant(),
                        row.getObject("received_at", OffsetDateTime.class).toInstant(), row.getString("event_name"),
                        row.getString("family"), row.getString("canonical_record"),
                        row.getBytes("raw_body")));
        boolean full = batch.cut() || batch.rows().size() >= properties.batchSize();
        if (otherTargets && !full) {
            otherTargetsDue = now.plus(otherTargetsEvery);
        }
        exchange.setProperty(Flow.DELIVERY_CLAIM, batch.token());
        exchange.setProperty(Flow.BATCH_FULL, full);
        if (!batch.rows().isEmpty()) {
            // Renewed until recorded: however slow a target is, no other instance takes these meanwhile.
            leases.hold(batch.token(), RENEW, new MapSqlParameterSource("token", batch.token()),
                    properties.claimLease());
        }
        return batch.rows();
    }

    private static Claims.Queries claimQueries(String candidates) {
        return new Claims.Queries(candidates, (row, i) -> new MapSqlParameterSource("eventId",
                row.getString("event_id")).addValue("target", row.getString("target")), """
                UPDATE delivery SET claim_token = :token, claimed_until = :until
                 WHERE event_id = :eventId AND target = :target
                   AND state = 'PENDING' AND (claimed_until IS NULL OR claimed_until < :now)""",
                """
                SELECT d.event_id, d.target, d.attempts, d.budget_attempts, d.retry_since, e.received_at, e.event_name,
                       e.family,""" + StoredBodies.recordInBatch("e.canonical_record") + ","
                + StoredBodies.inBatch("e.raw_body") + ","
                + StoredBodies.storedBytes("e.raw_body", "e.canonical_record") + """
                  FROM delivery d JOIN inbox_event e ON e.event_id = d.event_id
                 WHERE d.event_id IN (:eventIds) AND d.claim_token = :token ORDER BY d.next_attempt_at""", """
                UPDATE delivery SET claim_token = NULL, claimed_until = NULL
                 WHERE event_id = :eventId AND target = :target AND claim_token = :token""");
    }

    /**
     * Puts one delivery on the exchange: the canonical record (a map) as body, the raw event beside it. A stored
     * event or record that cannot be read (an older bridge stored it, or the store was edited) makes this delivery
     * a dead letter that says so.
     */
    public void open(Exchange exchange) {
        DueDelivery delivery = exchange.getMessage().getBody(DueDelivery.class);
        exchange.setProperty(Flow.DELIVERY, delivery);
        exchange.setProperty(Flow.TARGET, delivery.target());
        exchange.setProperty(Flow.EVENT_ID, delivery.eventId());
        exchange.setProperty(Flow.EVENT, delivery.event());
        exchange.setProperty(Flow.FAMILY, delivery.family());
        // Until delivered() or failed(): the target's own lines are about this delivery too.
        EventLogContext.enter(delivery.eventId(), delivery.target());
        exchange.setProperty(ATTEMPT_STARTED, System.nanoTime());
        if (!routes.configured(delivery.target())) {
            // Retried, not dead at once: in a rolling deploy another instance may have the target already (or
            // still), and a target removed by mistake delivers again once it is back.
            throw new TransientDeliveryException("target '" + delivery.target() + "' is not configured on this"
                    + " instance (bridge.targets." + delivery.target() + "): retried until an instance with it"
                    + " delivers it or the retry budget ends; discard the dead letter then if the target is gone for"
                    + " good", null);
        }
        boolean probe = slowTargets.admit(delivery.target());
        exchange.setProperty(PROBE, probe);
        exchange.setProperty(CALL_APART, probe || !routes.callsInLine(delivery.target()));
        exchange.setProperty(ADMITTED, true);
        try {
            exchange.setProperty(Flow.RAW_EVENT, JodoJson.text(bodies.of(delivery.eventId(), delivery.rawBody())));
        } catch (JodoJson.BodyException e) {
            throw new PermanentDeliveryException("reading the stored event failed: " + e.getMessage());
        }
        try {
            exchange.getMessage().setBody(storedRecord(bodies.record(delivery.eventId(),
                    delivery.canonicalRecord())));
        } catch (IOException | RuntimeException e) {
            throw new PermanentDeliveryException("reading the stored canonical record failed: it is not a JSON object");
        }
    }

    /** A stored canonical record as the targets read it: its money as BigDecimal. */
    static Map<String, Object> storedRecord(String json) throws IOException {
        return JSON.readValue(json, MAP);
    }

    public DeliveryOutcome delivered(Exchange exchange) {
        attemptOver(exchange);
        DueDelivery delivery = exchange.getProperty(Flow.DELIVERY, DueDelivery.class);
        DeliveryOutcome.AttemptDetail detail = detail(exchange, null);
        slowTargets.attempted(delivery.target(), false, detail.took(), null);
        return new DeliveryOutcome(delivery.eventId(), delivery.target(), delivery.family(), delivery.receivedAt(),
                delivery.attempts() + 1, delivery.budgetAttempts() + 1, delivery.retrySince(), null, false, null,
                detail, false, exchange.getProperty(Flow.BOOKED_PAYMENT, String.class));
    }

    public DeliveryOutcome failed(Exchange exchange) {
        attemptOver(exchange);
        DueDelivery delivery = exchange.getProperty(Flow.DELIVERY, DueDelivery.class);
        if (delivery == null) {
            delivery = exchange.getMessage().getBody(DueDelivery.class);
        }
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        boolean permanent = error instanceof PermanentDeliveryException;
        Duration retryAfter = error instanceof TransientDeliveryException transientError ? transientError.retryAfter()
                : null;
        String summary = error == null ? "unknown error" : Redaction.summary(error, 2000);
        DeliveryOutcome.AttemptDetail detail = detail(exchange, error == null ? "unknown"
                : Redaction.rootCause(error).getClass().getSimpleName());
        if (exchange.getProperty(ADMITTED, false, Boolean.class)) {
            slowTargets.attempted(delivery.target(), !permanent, detail.took(), summary);
        }
        return new DeliveryOutcome(delivery.eventId(), delivery.target(), delivery.family(), delivery.receivedAt(),
                delivery.attempts() + 1, delivery.budgetAttempts() + 1, delivery.retrySince(), summary, permanent,
                retryAfter, detail, exchange.getProperty(ANSWERED_LATER, false, Boolean.class), null);
    }

    /**
     * The attempt is over: its lines are no longer about this delivery, and Jodo's body (up to the intake's 1 MB) is
     * let go. The split keeps each attempt's exchange until the whole batch is done, and with the bodies of 200 large
     * webhooks kept so, a backlog of them filled the bridge's memory at every start.
     */
    private static void attemptOver(Exchange exchange) {
        EventLogContext.leave();
        exchange.removeProperty(Flow.RAW_EVENT);
    }

    /**
     * The attempt goes on waiting apart (CallsApart): its batch writes nothing for it, and the delivery stays claimed
     * by the batch, so no other attempt takes it meanwhile; its outcome is written when the target answers (or the
     * call ends otherwise), as its batch would have written it. {@code call} is the exchange sent to the target.
     */
    void answerLater(Exchange exchange, Exchange call, CompletableFuture<Exchange> answer) {
        exchange.setProperty(ANSWERED_LATER, true);
        exchange.setProperty(ADMITTED, false);
        DueDelivery delivery = exchange.getProperty(Flow.DELIVERY, DueDelivery.class);
        String token = exchange.getProperty(Flow.DELIVERY_CLAIM, String.class);
        // Renewed until the answer is written, however long it takes: no other instance attempts it meanwhile.
        String claim = token + "/" + delivery.eventId() + "/" + delivery.target();
        leases.hold(claim, RENEW_ONE, new MapSqlParameterSource("token", token)
                .addValue("eventId", delivery.eventId()).addValue("target", delivery.target()), properties.claimLease());
        answer.whenComplete((answered, failure) -> {
            try (EventLogContext about = EventLogContext.about(delivery.eventId(), delivery.target())) {
                if (failure != null) {
                    call.setException(failure);
                }
                DeliveryOutcome outcome;
                if (call.getException() == null) {
                    outcome = delivered(call);
                } else {
                    call.setProperty(Exchange.EXCEPTION_CAUGHT, call.getException());
                    outcome = failed(call);
                }
                record(List.of(outcome), token);
                if (outcome.delivered()) {
                    log.info("Delivery of {} to {} answered after {} ms, apart from its batch: delivered",
                            delivery.eventId(), delivery.target(), outcome.detail().took().toMillis());
                }
            } catch (RuntimeException e) {
                log.warn("Recording the late answer to {} for {} failed: {}", delivery.target(), delivery.eventId(),
                        Redaction.summary(e, 300));
            } finally {
                leases.release(claim);
            }
        });
    }

    /** The target's last HTTP status in this attempt (the transports leave Camel's header), and how long it took. */
    private static DeliveryOutcome.AttemptDetail detail(Exchange exchange, String errorClass) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Long started = exchange.getProperty(ATTEMPT_STARTED, Long.class);
        return new DeliveryOutcome.AttemptDetail(status, errorClass,
                started == null ? null : Duration.ofNanos(System.nanoTime() - started));
    }


    /**
     * Writes a batch's outcomes; a delivery whose claim was lost meanwhile is left to whoever holds it. Should the
     * batch not be writable together, each outcome is written alone, and one that cannot be written even alone
     * becomes a dead letter saying why, so no delivery stays claimed and unrecorded. An attempt still out, apart from
     * the batch, is written when it is answered (answerLater), its claim renewed until then.
     */
    public void record(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<DeliveryOutcome> outcomes = exchange.getMessage().getBody(List.class);
        String token = exchange.getProperty(Flow.DELIVERY_CLAIM, String.class);
        if (token != null) {
            leases.release(token);
        }
        if (outcomes == null || token == null) {
            return;
        }
        record(outcomes.stream().filter(outcome -> !outcome.answeredLater()).toList(), token);
    }

    private void record(List<DeliveryOutcome> outcomes, String token) {
        if (outcomes.isEmpty()) {
            return;
        }
        Instant now = Instant.now(clock);
        List<Row> rows = outcomes.stream().map(outcome -> row(outcome, token, now)).toList();
        Outcomes.write(transaction, rows, this::write, (row, error) -> write(List.of(row(
                row.outcome().withError("recording the outcome failed: " + Redaction.summary(error, 1900), true),
                token, now))));
        for (Row row : rows) {
            DeliveryOutcome outcome = row.outcome();
            try (EventLogContext about = EventLogContext.about(outcome.eventId(), outcome.target())) {
                if (row.state().equals("DEAD")) {
                    log.warn("Delivery of {} to {} is a dead letter after {} attempt(s): {}", outcome.eventId(),
                            outcome.target(), outcome.attempts(), outcome.error());
                } else if (!outcome.delivered()) {
                    log.info("Delivery of {} to {} failed (attempt {}), next try at {}: {}", outcome.eventId(),
                            outcome.target(), outcome.attempts(), row.params().getValue("next"), outcome.error());
                }
            }
            metrics.delivered(outcome.family(), outcome.target(), row.state().equals("DELIVERED") ? "delivered"
                    : row.state().equals("DEAD") ? "dead" : "failed", Duration.between(outcome.receivedAt(), now));
        }
    }

    /** One outcome as the statements write it: the delivery's new state, and the attempt's parameters. */
    private record Row(DeliveryOutcome outcome, String state, MapSqlParameterSource params) {
    }

    private Row row(DeliveryOutcome outcome, String token, Instant now) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("eventId", outcome.eventId())
                .addValue("target", outcome.target())
                .addValue("token", token)
                .addValue("now", Claims.utc(now))
                .addValue("attempt", outcome.attempts())
                .addValue("error", outcome.error())
                .addValue("httpStatus", outcome.detail().httpStatus())
                .addValue("errorClass", outcome.detail().errorClass())
                .addValue("durationMs", outcome.detail().took() == null ? null : outcome.detail().took().toMillis())
                .addValue("nextAttempt", null)
                .addValue("paymentId", outcome.bookedPayment())
                .addValue("attemptStarted", Claims.utc(outcome.detail().took() == null ? now
                        : now.minus(outcome.detail().took())));
        if (outcome.delivered()) {
            return new Row(outcome, "DELIVERED", params.addValue("outcome", "DELIVERED"));
        }
        Instant next = outcome.permanent() ? null
                : retry.nextAttempt(outcome.budgetAttempts(), outcome.retrySince(), now, outcome.retryAfter());
        String state = next == null ? "DEAD" : "PENDING";
        params.addValue("state", state)
                .addValue("outcome", next == null ? "DEAD" : "FAILED")
                .addValue("next", Claims.utc(next == null ? now : next))
                .addValue("nextAttempt", next == null ? null : Claims.utc(next));
        return new Row(outcome, state, params);
    }

    /** REDELIVER_UNDOING for the bookings delivered. */
    private void redeliverUndoing(List<Row> bookings) {
        if (bookings.isEmpty()) {
            return;
        }
        int[] redelivered = jdbc.batchUpdate(REDELIVER_UNDOING, bookings.stream().map(Row::params)
                .toArray(SqlParameterSource[]::new));
        for (int i = 0; i < redelivered.length; i++) {
            if (redelivered[i] > 0) {
                DeliveryOutcome booking = bookings.get(i).outcome();
                log.info("Payment {} was booked at {} by {} after the record undoing it had been delivered there:"
                        + " that record is delivered again to undo the booking", booking.bookedPayment(),
                        booking.target(), booking.eventId());
            }
        }
    }

    private void write(List<Row> rows) {
        SqlParameterSource[] delivered = rows.stream().filter(row -> row.outcome().delivered())
                .map(Row::params).toArray(SqlParameterSource[]::new);
        SqlParameterSource[] failed = rows.stream().filter(row -> !row.outcome().delivered())
                .map(Row::params).toArray(SqlParameterSource[]::new);
        if (delivered.length > 0) {
            jdbc.batchUpdate(DELIVERED, delivered);
            redeliverUndoing(rows.stream().filter(row -> row.outcome().delivered()
                    && row.outcome().bookedPayment() != null).toList());
        }
        if (failed.length > 0) {
            jdbc.batchUpdate(FAILED, failed);
        }
        jdbc.batchUpdate(ATTEMPT, rows.stream().map(Row::params).toArray(SqlParameterSource[]::new));
    }
}
