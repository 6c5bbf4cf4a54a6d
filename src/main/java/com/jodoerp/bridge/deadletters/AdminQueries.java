package com.jodoerp.bridge.deadletters;

import java.io.IOException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.jodoerp.bridge.canonical.JodoJson;
import com.jodoerp.bridge.store.StoredBodies;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** What operators look at: events, dead letters and their history. Filters become named parameters only. */
@Component
public class AdminQueries {

    /** A dead letter: a delivery that gave up (target set) or an event parked before delivery (target null). */
    public record DeadLetterKey(String eventId, String target) {
    }

    private static final String DEAD_DELIVERIES = """
            SELECT d.event_id, e.event_name, e.family, d.target, 'DEAD' AS kind, d.last_error AS reason, d.attempts,
                   d.first_failed_at, d.last_failed_at, e.received_at, e.jodo_student_id
              FROM delivery d JOIN inbox_event e ON e.event_id = d.event_id
             WHERE d.state = 'DEAD'""";
    private static final String PARKED_EVENTS = """
            SELECT e.event_id, e.event_name, e.family, CAST(NULL AS VARCHAR(64)) AS target, e.dispatch_state AS kind,
                   e.parked_reason AS reason, 0 AS attempts, e.dispatched_at AS first_failed_at,
                   e.dispatched_at AS last_failed_at, e.received_at, e.jodo_student_id
              FROM inbox_event e
             WHERE e.dispatch_state IN ('UNROUTED', 'FAILED')""";

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;

    public AdminQueries(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public List<Map<String, Object>> deadLetters(DeadLetterFilter filter, int limit, int offset) {
        MapSqlParameterSource params = new MapSqlParameterSource("limit", limit).addValue("offset", offset);
        String sql = deadLetterSql(filter, params) + " ORDER BY received_at DESC, event_id LIMIT :limit OFFSET :offset";
        return jdbc.queryForList(sql, params).stream().map(AdminQueries::lowerKeys).toList();
    }

    /**
     * Up to {@code limit} dead letters the filter matches that failed no later than {@code failedBy}: a bulk replay's
     * work still to do, whichever instance asks. Replayed ones leave the set (no longer dead, or dead again later).
     */
    public List<DeadLetterKey> deadLetterKeys(DeadLetterFilter filter, Instant failedBy, int limit) {
        MapSqlParameterSource params = new MapSqlParameterSource("failedBy", OffsetDateTime.ofInstant(failedBy,
                ZoneOffset.UTC)).addValue("limit", limit);
        return jdbc.query("SELECT event_id, target FROM (" + deadLetterSql(filter, params) + ") due"
                        + " WHERE last_failed_at IS NULL OR last_failed_at <= :failedBy"
                        + " ORDER BY received_at, event_id LIMIT :limit", params,
                (row, i) -> new DeadLetterKey(row.getString("event_id"), row.getString("target")));
    }

    private static String deadLetterSql(DeadLetterFilter filter, MapSqlParameterSource params) {
        String deliveries = DEAD_DELIVERIES + where(filter, params, true);
        if (filter.target() != null) {
            return "SELECT * FROM (" + deliveries + ") dead";
        }
        return "SELECT * FROM (" + deliveries + " UNION ALL " + PARKED_EVENTS + where(filter, params, false) + ") dead";
    }

    /** How many dead letters the filter matches in all, for the ops page's total. */
    public long countDeadLetters(DeadLetterFilter filter) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        return jdbc.queryForObject("SELECT COUNT(*) FROM (" + deadLetterSql(filter, params) + ") counted", params,
                Long.class);
    }

    /** Whether any delivery to this target is kept: a removed or disabled target's dead letters can be asked for. */
    public boolean hasDeliveriesTo(String target) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM delivery WHERE target = :target)",
                new MapSqlParameterSource("target", target), Boolean.class));
    }

    /** How many events the filter matches in all. */
    public long countEvents(DeadLetterFilter filter) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        return jdbc.queryForObject("SELECT COUNT(*) " + eventsFrom(filter, params), params, Long.class);
    }

    public List<Map<String, Object>> events(DeadLetterFilter filter, int limit, int offset) {
        MapSqlParameterSource params = new MapSqlParameterSource("limit", limit).addValue("offset", offset);
        String sql = """
                SELECT e.event_id, e.event_name, e.family, e.dispatch_state, e.received_at, e.jodo_student_id,
                       e.parked_reason
                """ + eventsFrom(filter, params)
                + " ORDER BY e.received_at DESC, e.event_id LIMIT :limit OFFSET :offset";
        List<Map<String, Object>> events = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList(sql, params)) {
            Map<String, Object> event = lowerKeys(row);
            event.put("deliveries", deliveries((String) event.get("event_id"), false));
            events.add(event);
        }
        return events;
    }

    private static String eventsFrom(DeadLetterFilter filter, MapSqlParameterSource params) {
        StringBuilder sql = new StringBuilder("FROM inbox_event e WHERE 1 = 1").append(where(filter, params, false));
        if (filter.status() != null) {
            sql.append(" AND (e.dispatch_state = :status OR EXISTS (SELECT 1 FROM delivery s"
                    + " WHERE s.event_id = e.event_id AND s.state = :status))");
            params.addValue("status", filter.status());
        }
        if (filter.target() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM delivery t WHERE t.event_id = e.event_id AND t.target = :target)");
        }
        return sql.toString();
    }

    /** One event whole: its raw payload, canonical record, deliveries and their attempts; null when unknown. */
    public Map<String, Object> event(String eventId) {
        // The body with its row, in one read: retention may prune the event between two.
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT event_id, event_name, family, dispatch_state, parked_reason, discarded_reason, received_at,
                       remote_address, jodo_student_id,""" + StoredBodies.wholeRecord("canonical_record") + ","
                + StoredBodies.whole("raw_body") + """
                  FROM inbox_event WHERE event_id = :eventId""", new MapSqlParameterSource("eventId", eventId));
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> event = lowerKeys(rows.get(0));
        showRawBody(event, (byte[]) event.remove("raw_body"));
        Object canonical = event.remove("canonical_record");
        try {
            event.put("canonical_record", canonical == null ? null : json.readTree(canonical.toString()));
        } catch (IOException e) {
            event.put("canonical_record", null);
            event.put("canonical_record_text", canonical.toString());
            event.put("canonical_record_note", "the stored canonical record is not valid JSON; shown as text");
        }
        event.put("deliveries", deliveries(eventId, true));
        return event;
    }

    /**
     * The body as Jodo sent it, shown whatever an older bridge (or a hand in the store) left there: JSON when it keeps
     * the intake's rule, else text, else base64, with a note that says which and why.
     */
    private static void showRawBody(Map<String, Object> event, byte[] raw) {
        try {
            event.put("raw_payload", JodoJson.parse(raw));
            return;
        } catch (JodoJson.BodyException e) {
            event.put("raw_payload", null);
            event.put("raw_note", e.getMessage());
        }
        try {
            event.put("raw_text", JodoJson.text(raw));
            event.put("raw_note", event.get("raw_note") + "; shown as text");
        } catch (JodoJson.BodyException notText) {
            event.put("raw_base64", Base64.getEncoder().encodeToString(raw));
            event.put("raw_note", event.get("raw_note") + "; shown as base64");
        }
    }

    private List<Map<String, Object>> deliveries(String eventId, boolean withAttempts) {
        MapSqlParameterSource params = new MapSqlParameterSource("eventId", eventId);
        List<Map<String, Object>> deliveries = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList("""
                SELECT target, state, attempts, next_attempt_at, delivered_at, first_failed_at, last_failed_at,
                       last_error, discarded_reason
                  FROM delivery WHERE event_id = :eventId ORDER BY target""", params)) {
            Map<String, Object> delivery = lowerKeys(row);
            if (withAttempts) {
                delivery.put("history", jdbc.queryForList("""
                        SELECT attempt, attempted_at, outcome, http_status, error_class, duration_ms, next_attempt_at,
                               error
                          FROM delivery_attempt
                         WHERE event_id = :eventId AND target = :target ORDER BY id""",
                        new MapSqlParameterSource("eventId", eventId).addValue("target", delivery.get("target")))
                        .stream().map(AdminQueries::lowerKeys).toList());
            }
            deliveries.add(delivery);
        }
        return deliveries;
    }

    /**
     * A payment as the bridge's ledger has it (the reconciliation's view): its status, amount and day, the record
     * that decides them and the one that last booked its money, and what became of each at every target; null when
     * the bridge has never seen it.
     */
    public Map<String, Object> payment(String paymentId) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT payment_id, status, amount, paid_day, family, event_id, event_name, occurred_at,
                       booked_event_id
                  FROM payment_ledger WHERE payment_id = :paymentId""",
                new MapSqlParameterSource("paymentId", paymentId));
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> payment = lowerKeys(rows.get(0));
        if (payment.get("paid_day") instanceof Date day) {
            payment.put("paid_day", day.toLocalDate().toString());
        }
        payment.put("deliveries", deliveries(String.valueOf(payment.get("event_id")), false));
        Object booked = payment.get("booked_event_id");
        if (booked != null && !booked.equals(payment.get("event_id"))) {
            payment.put("booked_deliveries", deliveries(booked.toString(), false));
        }
        return payment;
    }

    /** One page of the audit entries the filter matches, newest first. */
    public List<Map<String, Object>> audit(AuditFilter filter, int limit, int offset) {
        MapSqlParameterSource params = new MapSqlParameterSource("limit", limit).addValue("offset", offset);
        return jdbc.queryForList("SELECT at, actor, action, subject, affected, reason FROM admin_audit"
                        + auditWhere(filter, params) + " ORDER BY id DESC LIMIT :limit OFFSET :offset", params)
                .stream().map(AdminQueries::lowerKeys).toList();
    }

    /** How many audit entries the filter matches in all. */
    public long countAudit(AuditFilter filter) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        return jdbc.queryForObject("SELECT COUNT(*) FROM admin_audit" + auditWhere(filter, params), params,
                Long.class);
    }

    private static String auditWhere(AuditFilter filter, MapSqlParameterSource params) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        condition(where, params, "action", "action", filter.action());
        condition(where, params, "actor", "actor", filter.actor());
        if (filter.subject() != null) {
            // Text the subject holds, taken literally: an event id's "_" or a typed "%" is not a wildcard.
            where.append(" AND subject LIKE :subject ESCAPE '!'");
            params.addValue("subject", "%" + filter.subject().replaceAll("[!%_]", "!$0") + "%");
        }
        times(where, params, "at", filter.from(), filter.to());
        return where.toString();
    }

    private static String where(DeadLetterFilter filter, MapSqlParameterSource params, boolean withTarget) {
        StringBuilder where = new StringBuilder();
        condition(where, params, "e.family", "family", filter.family());
        condition(where, params, "e.event_name", "event", filter.event());
        condition(where, params, "e.jodo_student_id", "student", filter.student());
        if (withTarget) {
            condition(where, params, "d.target", "target", filter.target());
        } else if (filter.target() != null) {
            params.addValue("target", filter.target());
        }
        times(where, params, "e.received_at", filter.from(), filter.to());
        return where.toString();
    }

    /** {@code from} inclusive, {@code to} exclusive. */
    private static void times(StringBuilder where, MapSqlParameterSource params, String column, Instant from,
                              Instant to) {
        if (from != null) {
            where.append(" AND ").append(column).append(" >= :from");
            params.addValue("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        }
        if (to != null) {
            where.append(" AND ").append(column).append(" < :to");
            params.addValue("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
        }
    }

    private static void condition(StringBuilder where, MapSqlParameterSource params, String column, String name,
                                  String value) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = :").append(name);
            params.addValue(name, value);
        }
    }

    /** Times are answered as UTC instants whichever type the driver hands back. */
    private static Object utc(Object value) {
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        return value instanceof OffsetDateTime time ? time.toInstant() : value;
    }

    /** H2 upper-cases column labels, PostgreSQL lower-cases them: the API always answers in lower case. */
    static Map<String, Object> lowerKeys(Map<String, Object> row) {
        Map<String, Object> lower = new LinkedHashMap<>();
        row.forEach((key, value) -> lower.put(key.toLowerCase(Locale.ROOT), utc(value)));
        return lower;
    }
}
