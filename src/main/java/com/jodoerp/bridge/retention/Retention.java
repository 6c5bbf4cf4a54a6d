package com.jodoerp.bridge.retention;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;

import com.jodoerp.bridge.store.Claims;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the store bounded: deletes events whose work is finished once they are older than the retention,
 * with their deliveries and attempt history, and forgets event ids after the (longer) deduplication window.
 * Dead letters and parked events stay until an operator replays or discards them. Runs in small batches,
 * each its own short transaction, so intake never waits on it; several instances may run it at once.
 */
@Component("retention")
public class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    /** Events received before :before whose work is done: routed with every delivery finished, or discarded. */
    private static final String FINISHED = """
            SELECT e.event_id FROM inbox_event e
             WHERE e.received_at < :before
               AND (e.dispatch_state = 'DISCARDED'
                    OR (e.dispatch_state = 'ROUTED' AND NOT EXISTS (
                        SELECT 1 FROM delivery d WHERE d.event_id = e.event_id
                           AND d.state NOT IN ('DELIVERED', 'DISCARDED'))))
             ORDER BY e.received_at FETCH FIRST :limit ROWS ONLY""";
    private static final String OLD_KEYS = """
            SELECT k.message_id FROM jodo_event_id k
             WHERE k.created_at < :before
               AND NOT EXISTS (SELECT 1 FROM inbox_event e WHERE e.event_id = k.message_id)
             ORDER BY k.created_at FETCH FIRST :limit ROWS ONLY""";

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final RetentionProperties properties;
    private final Clock clock;

    public Retention(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction, RetentionProperties properties,
                     Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.properties = properties;
        this.clock = clock;
    }

    /** One pruning pass; returns how many events were deleted. */
    public int prune() {
        Instant now = Instant.now(clock);
        int events = pruneEvents(Claims.utc(now.minus(properties.delivered())));
        int keys = pruneKeys(Claims.utc(now.minus(properties.effectiveDedupKeys())));
        MapSqlParameterSource oldJobs = new MapSqlParameterSource("before", Claims.utc(now.minus(properties.delivered())));
        jdbc.update("""
                DELETE FROM replay_job_item WHERE job_id IN (SELECT id FROM replay_job WHERE created_at < :before
                                                                AND state NOT IN ('RUNNING', 'CANCELLING'))""", oldJobs);
        jdbc.update("DELETE FROM replay_job WHERE created_at < :before AND state NOT IN ('RUNNING', 'CANCELLING')",
                oldJobs);
        if (events + keys > 0) {
            log.info("Retention pruned {} finished event(s) and {} event id(s) past their windows", events, keys);
        }
        return events;
    }

    private int pruneEvents(OffsetDateTime before) {
        int total = 0;
        while (true) {
            Integer deleted = transaction.execute(status -> {
                var ids = jdbc.queryForList(FINISHED, params(before), String.class);
                if (ids.isEmpty()) {
                    return 0;
                }
                MapSqlParameterSource batch = new MapSqlParameterSource("ids", ids);
                jdbc.update("DELETE FROM delivery_attempt WHERE event_id IN (:ids)", batch);
                jdbc.update("DELETE FROM delivery WHERE event_id IN (:ids)", batch);
                return jdbc.update("DELETE FROM inbox_event WHERE event_id IN (:ids)", batch);
            });
            if (deleted == null || deleted == 0) {
                return total;
            }
            total += deleted;
        }
    }

    private int pruneKeys(OffsetDateTime before) {
        int total = 0;
        while (true) {
            Integer deleted = transaction.execute(status -> {
                var ids = jdbc.queryForList(OLD_KEYS, params(before), String.class);
                return ids.isEmpty() ? 0 : jdbc.update("DELETE FROM jodo_event_id WHERE message_id IN (:ids)",
                        new MapSqlParameterSource("ids", ids));
            });
            if (deleted == null || deleted == 0) {
                return total;
            }
            total += deleted;
        }
    }

    private MapSqlParameterSource params(OffsetDateTime before) {
        return new MapSqlParameterSource("before", before).addValue("limit", properties.batchSize());
    }
}
