package com.jodoerp.bridge.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.jodoerp.bridge.dispatch.EventDispatcher;
import com.jodoerp.bridge.system.BridgeMetrics;
import com.jodoerp.bridge.system.Claims;
import com.jodoerp.bridge.system.Redaction;
import com.jodoerp.bridge.webhook.WebhookExchange;
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

    public static final String CLAIM = "jodoDeliveryClaim";
    public static final String DELIVERY = "jodoDelivery";
    public static final String TARGET = "jodoTarget";
    /** The webhook body exactly as Jodo sent it, as text, for the rare field the canonical record lacks. */
    public static final String RAW_EVENT = "jodoRawEvent";
    /** Jodo's payload as a map, for simple expressions such as {@code ${exchangeProperty.jodoPayload[student]}}. */
    public static final String RAW_PAYLOAD = "jodoPayload";

    private static final Logger log = LoggerFactory.getLogger(DeliveryQueue.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    // Ordered by the whole index (state, next_attempt_at) so H2 reads the first due rows off it; see Claims.
    private static final Claims.Queries CLAIM_DUE = new Claims.Queries("""
            SELECT event_id, target FROM delivery
             WHERE state = 'PENDING' AND next_attempt_at <= :now AND (claimed_until IS NULL OR claimed_until < :now)
             ORDER BY state, next_attempt_at FETCH FIRST :limit ROWS ONLY""",
            (row, i) -> new MapSqlParameterSource("eventId", row.getString("event_id"))
                    .addValue("target", row.getString("target")), """
            UPDATE delivery SET claim_token = :token, claimed_until = :until
             WHERE event_id = :eventId AND target = :target
               AND state = 'PENDING' AND (claimed_until IS NULL OR claimed_until < :now)""",
            """
            SELECT d.event_id, d.target, d.attempts, d.budget_attempts, d.retry_since, e.received_at, e.event_name,
                   e.family, e.canonical_record, e.raw_body
              FROM delivery d JOIN inbox_event e ON e.event_id = d.event_id
             WHERE d.event_id IN (:eventIds) AND d.claim_token = :token ORDER BY d.next_attempt_at""");
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

    private static final String ATTEMPT = """
            INSERT INTO delivery_attempt (event_id, target, attempt, attempted_at, outcome, error)
            VALUES (:eventId, :target, :attempt, :now, :outcome, :error)""";

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final DeliveryProperties properties;
    private final RetryPolicy retry;
    private final TargetRoutes routes;
    private final BridgeMetrics metrics;
    private final Clock clock;

    public DeliveryQueue(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction,
                         DeliveryProperties properties, RetryPolicy retry, TargetRoutes routes, BridgeMetrics metrics,
                         Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.properties = properties;
        this.retry = retry;
        this.routes = routes;
        this.metrics = metrics;
        this.clock = clock;
    }

    public List<DueDelivery> claim(Exchange exchange) {
        if (!routes.ready()) {
            exchange.setProperty(Claims.BATCH_FULL, false);
            return List.of();
        }
        Claims.Batch<DueDelivery> batch = Claims.take(jdbc, CLAIM_DUE, Instant.now(clock),
                properties.claimLease(), properties.batchSize(), (row, i) -> new DueDelivery(
                        row.getString("event_id"), row.getString("target"), row.getInt("attempts"),
                        row.getInt("budget_attempts"), row.getObject("retry_since", OffsetDateTime.class).toInstant(),
                        row.getObject("received_at", OffsetDateTime.class).toInstant(), row.getString("event_name"), row.getString("family"), row.getString("canonical_record"),
                        row.getBytes("raw_body")));
        exchange.setProperty(CLAIM, batch.token());
        exchange.setProperty(Claims.BATCH_FULL, batch.rows().size() >= properties.batchSize());
        return batch.rows();
    }

    /** Puts one delivery on the exchange: the canonical record (a map) as body, the raw event beside it. */
    public void open(Exchange exchange) throws Exception {
        DueDelivery delivery = exchange.getMessage().getBody(DueDelivery.class);
        exchange.setProperty(DELIVERY, delivery);
        exchange.setProperty(TARGET, delivery.target());
        exchange.setProperty(WebhookExchange.EVENT_ID, delivery.eventId());
        exchange.setProperty(WebhookExchange.EVENT, delivery.event());
        exchange.setProperty(EventDispatcher.FAMILY, delivery.family());
        String raw = new String(delivery.rawBody(), StandardCharsets.UTF_8);
        exchange.setProperty(RAW_EVENT, raw);
        exchange.setProperty(RAW_PAYLOAD, JSON.readValue(raw, MAP).get("payload"));
        exchange.getMessage().setBody(JSON.readValue(delivery.canonicalRecord(), MAP));
    }

    public DeliveryOutcome delivered(Exchange exchange) {
        DueDelivery delivery = exchange.getProperty(DELIVERY, DueDelivery.class);
        return new DeliveryOutcome(delivery.eventId(), delivery.target(), delivery.family(), delivery.receivedAt(),
                delivery.attempts() + 1, delivery.budgetAttempts() + 1, delivery.retrySince(), null, false, null);
    }

    public DeliveryOutcome failed(Exchange exchange) {
        DueDelivery delivery = exchange.getProperty(DELIVERY, DueDelivery.class);
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        boolean permanent = error instanceof PermanentDeliveryException;
        Duration retryAfter = error instanceof TransientDeliveryException transientError ? transientError.retryAfter()
                : null;
        return new DeliveryOutcome(delivery.eventId(), delivery.target(), delivery.family(), delivery.receivedAt(),
                delivery.attempts() + 1, delivery.budgetAttempts() + 1, delivery.retrySince(),
                Redaction.summary(error, 2000), permanent, retryAfter);
    }

    /** Writes a batch's outcomes; a delivery whose claim was lost meanwhile is left to whoever holds it. */
    public void record(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<DeliveryOutcome> outcomes = exchange.getMessage().getBody(List.class);
        String token = exchange.getProperty(CLAIM, String.class);
        if (outcomes == null || outcomes.isEmpty() || token == null) {
            return;
        }
        Instant now = Instant.now(clock);
        List<SqlParameterSource> delivered = new ArrayList<>();
        List<SqlParameterSource> failed = new ArrayList<>();
        List<SqlParameterSource> attempts = new ArrayList<>();
        for (DeliveryOutcome outcome : outcomes) {
            MapSqlParameterSource row = new MapSqlParameterSource()
                    .addValue("eventId", outcome.eventId())
                    .addValue("target", outcome.target())
                    .addValue("token", token)
                    .addValue("now", Claims.utc(now))
                    .addValue("attempt", outcome.attempts())
                    .addValue("error", outcome.error());
            attempts.add(row);
            if (outcome.delivered()) {
                row.addValue("outcome", "DELIVERED");
                delivered.add(row);
                continue;
            }
            Instant next = outcome.permanent() ? null
                    : retry.nextAttempt(outcome.budgetAttempts(), outcome.retrySince(), now, outcome.retryAfter());
            row.addValue("state", next == null ? "DEAD" : "PENDING")
                    .addValue("outcome", next == null ? "DEAD" : "FAILED")
                    .addValue("next", Claims.utc(next == null ? now : next));
            failed.add(row);
            if (next == null) {
                log.warn("Delivery of {} to {} is a dead letter after {} attempt(s): {}", outcome.eventId(),
                        outcome.target(), outcome.attempts(), outcome.error());
            } else {
                log.info("Delivery of {} to {} failed (attempt {}), next try at {}: {}", outcome.eventId(),
                        outcome.target(), outcome.attempts(), next, outcome.error());
            }
        }
        transaction.executeWithoutResult(status -> {
            if (!delivered.isEmpty()) {
                jdbc.batchUpdate(DELIVERED, delivered.toArray(SqlParameterSource[]::new));
            }
            if (!failed.isEmpty()) {
                jdbc.batchUpdate(FAILED, failed.toArray(SqlParameterSource[]::new));
            }
            jdbc.batchUpdate(ATTEMPT, attempts.toArray(SqlParameterSource[]::new));
        });
        for (int i = 0; i < outcomes.size(); i++) {
            DeliveryOutcome outcome = outcomes.get(i);
            metrics.delivered(outcome.family(), outcome.target(),
                    ((String) ((MapSqlParameterSource) attempts.get(i)).getValue("outcome")).toLowerCase(Locale.ROOT),
                    Duration.between(outcome.receivedAt(), now));
        }
    }
}
