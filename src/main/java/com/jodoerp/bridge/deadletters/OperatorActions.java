package com.jodoerp.bridge.deadletters;

import java.time.Clock;
import java.time.Instant;
import java.util.function.IntSupplier;

import com.jodoerp.bridge.store.Claims;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What operators change, each change audited in the same transaction (who, when, what, how many).
 * Replay puts work back on the durable queues, so it goes through the same routes as the first try;
 * the targets' idempotency keeps a replay from doubling anything in the ERP.
 */
@Component
public class OperatorActions {

    private static final String REPLAY_DELIVERY = """
            UPDATE delivery SET state = 'PENDING', next_attempt_at = :now, retry_since = :now, budget_attempts = 0,
                   discarded_reason = NULL, claim_token = NULL, claimed_until = NULL
             WHERE event_id = :eventId AND target = :target AND state IN ('DEAD', 'DISCARDED', 'DELIVERED')""";
    private static final String REPLAY_EVENT_DELIVERIES = """
            UPDATE delivery SET state = 'PENDING', next_attempt_at = :now, retry_since = :now, budget_attempts = 0,
                   discarded_reason = NULL, claim_token = NULL, claimed_until = NULL
             WHERE event_id = :eventId AND state IN ('DEAD', 'DISCARDED', 'DELIVERED')""";
    private static final String REDISPATCH_EVENT = """
            UPDATE inbox_event SET dispatch_state = 'PENDING', parked_reason = NULL, discarded_reason = NULL,
                   claim_token = NULL, claimed_until = NULL
             WHERE event_id = :eventId AND dispatch_state IN ('UNROUTED', 'FAILED', 'DISCARDED')""";
    private static final String DISCARD_DELIVERY = """
            UPDATE delivery SET state = 'DISCARDED', discarded_reason = :reason, claim_token = NULL,
                   claimed_until = NULL
             WHERE event_id = :eventId AND target = :target AND state IN ('DEAD', 'PENDING')
               AND (claimed_until IS NULL OR claimed_until < :now)""";
    private static final String BEING_ATTEMPTED = """
            SELECT COUNT(*) FROM delivery
             WHERE event_id = :eventId AND target = :target AND state = 'PENDING' AND claimed_until >= :now""";
    private static final String DISCARD_EVENT = """
            UPDATE inbox_event SET dispatch_state = 'DISCARDED', discarded_reason = :reason
             WHERE event_id = :eventId AND dispatch_state IN ('UNROUTED', 'FAILED')""";
    private static final String AUDIT = """
            INSERT INTO admin_audit (at, actor, action, subject, affected, reason)
            VALUES (:at, :actor, :action, :subject, :affected, :reason)""";

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;

    public OperatorActions(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** Replays one dead letter: a delivery (target set) or a parked event (target null). How many changed. */
    public int replay(String actor, AdminQueries.DeadLetterKey key) {
        return audited(actor, AuditFilter.REPLAY, describe(key), null, () -> replayUnaudited(key));
    }

    /** Replays an event whole: re-routes it if it was parked, or delivers it again to each of its targets. */
    public int replayEvent(String actor, String eventId) {
        return audited(actor, AuditFilter.REPLAY, "event " + eventId, null, () -> {
            int redispatched = jdbc.update(REDISPATCH_EVENT, params(eventId, null));
            return redispatched > 0 ? redispatched : jdbc.update(REPLAY_EVENT_DELIVERIES, params(eventId, null));
        });
    }

    public int discard(String actor, AdminQueries.DeadLetterKey key, String reason) {
        return audited(actor, AuditFilter.DISCARD, describe(key), reason, () -> jdbc.update(
                key.target() == null ? DISCARD_EVENT : DISCARD_DELIVERY,
                params(key.eventId(), key.target()).addValue("reason", reason)));
    }

    /**
     * Whether a delivery worker holds the delivery now, its attempt under way. It is not discarded under the worker:
     * the ERP may take the record a moment later, and the books would then hold what the bridge calls discarded.
     */
    public boolean beingAttempted(String eventId, String target) {
        Integer held = jdbc.queryForObject(BEING_ATTEMPTED, params(eventId, target), Integer.class);
        return held != null && held > 0;
    }

    /** For bulk replays, which audit once for the whole job. */
    int replayUnaudited(AdminQueries.DeadLetterKey key) {
        return key.target() == null ? jdbc.update(REDISPATCH_EVENT, params(key.eventId(), null))
                : jdbc.update(REPLAY_DELIVERY, params(key.eventId(), key.target()));
    }

    public void audit(String actor, String action, String subject, int affected, String reason) {
        jdbc.update(AUDIT, new MapSqlParameterSource()
                .addValue("at", Claims.utc(Instant.now(clock)))
                .addValue("actor", actor)
                .addValue("action", action)
                .addValue("subject", subject.length() > 1000 ? subject.substring(0, 1000) : subject)
                .addValue("affected", affected)
                .addValue("reason", reason));
    }

    private int audited(String actor, String action, String subject, String reason, IntSupplier change) {
        Integer affected = transaction.execute(status -> {
            int count = change.getAsInt();
            audit(actor, action, subject, count, reason);
            return count;
        });
        return affected == null ? 0 : affected;
    }

    private MapSqlParameterSource params(String eventId, String target) {
        return new MapSqlParameterSource("eventId", eventId)
                .addValue("target", target)
                .addValue("now", Claims.utc(Instant.now(clock)));
    }

    private static String describe(AdminQueries.DeadLetterKey key) {
        return key.target() == null ? "event " + key.eventId() : "delivery " + key.eventId() + " to " + key.target();
    }
}
