package com.jodoerp.bridge.deadletters;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jodoerp.bridge.store.ClaimLeases;
import com.jodoerp.bridge.store.Claims;
import com.jodoerp.bridge.system.BackgroundPriority;
import com.jodoerp.bridge.system.Redaction;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Bulk replay by filter, in the background: every dead letter the filter matches when the job starts is
 * replayed, in chunks, with progress kept in the database (so any instance can show it) and a cancel
 * that takes effect between chunks.
 *
 * <p>A job is claimed by the instance that runs it, and the claim is renewed while it runs. What is left to do is
 * always read from the store (the matches that failed before the job started and are still dead), so a job whose
 * instance died is resumed where it stood: by another instance once the claim runs out, or by the next start on
 * the embedded store, where any claim found is a dead process's.
 */
@Component("replayJobs")
public class ReplayJobs {

    private static final Logger log = LoggerFactory.getLogger(ReplayJobs.class);
    private static final int CHUNK = 100;
    private static final String RENEW = """
            UPDATE replay_job SET claimed_until = :until WHERE id = :id AND claim_token = :token""";
    private static final String ITEM = """
            INSERT INTO replay_job_item (job_id, event_id, target, replayed_at)
            SELECT :id, :eventId, :target, :now FROM replay_job WHERE id = :id AND NOT EXISTS (
                   SELECT 1 FROM replay_job_item WHERE job_id = :id AND event_id = :eventId AND target = :target)""";
    /**
     * Where the replayed items stand now: delivered (or, for an event, routed again); failed again (dead once more,
     * or an attempt since the replay that failed); the rest still waiting for their first attempt.
     */
    private static final String OUTCOMES = """
            SELECT COUNT(*) AS replayed,
                   COALESCE(SUM(CASE WHEN (i.target <> '' AND d.state = 'DELIVERED')
                                       OR (i.target = '' AND e.dispatch_state = 'ROUTED') THEN 1 ELSE 0 END), 0)
                       AS delivered,
                   COALESCE(SUM(CASE WHEN (i.target <> '' AND (d.state = 'DEAD' OR (d.state = 'PENDING' AND EXISTS (
                                           SELECT 1 FROM delivery_attempt a WHERE a.event_id = i.event_id
                                              AND a.target = i.target AND a.attempted_at >= i.replayed_at))))
                                       OR (i.target = '' AND e.dispatch_state IN ('FAILED', 'UNROUTED'))
                                     THEN 1 ELSE 0 END), 0) AS failed_again
              FROM replay_job_item i
              LEFT JOIN delivery d ON d.event_id = i.event_id AND d.target = i.target
              LEFT JOIN inbox_event e ON e.event_id = i.event_id
             WHERE i.job_id = :id""";

    private final AdminQueries queries;
    private final OperatorActions actions;
    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;
    private final TransactionTemplate transaction;
    private final ClaimLeases leases;
    private final ReplayProperties properties;
    private final Clock clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            task -> BackgroundPriority.newThread(task, "bulk-replay"));
    private volatile boolean stopping;

    public ReplayJobs(AdminQueries queries, OperatorActions actions, NamedParameterJdbcTemplate jdbc, ObjectMapper json,
                      TransactionTemplate transaction, ClaimLeases leases, ReplayProperties properties, Clock clock) {
        this.queries = queries;
        this.actions = actions;
        this.jdbc = jdbc;
        this.json = json;
        this.transaction = transaction;
        this.leases = leases;
        this.properties = properties;
        this.clock = clock;
    }

    /** Starts replaying every current match of {@code filter}; returns the job as {@link #job} shows it. */
    public Map<String, Object> start(String actor, DeadLetterFilter filter) throws JsonProcessingException {
        Instant now = Instant.now(clock);
        int total = Math.toIntExact(queries.countDeadLetters(filter));
        String id = UUID.randomUUID().toString();
        String token = leases.newToken();
        String filterJson = json.writeValueAsString(filter);
        jdbc.update("""
                INSERT INTO replay_job (id, created_by, created_at, filter_json, state, total, done, claim_token,
                                        claimed_until)
                VALUES (:id, :actor, :now, :filter, 'RUNNING', :total, 0, :token, :until)""",
                new MapSqlParameterSource("id", id).addValue("actor", actor).addValue("now", Claims.utc(now))
                        .addValue("filter", filterJson).addValue("total", total).addValue("token", token)
                        .addValue("until", Claims.utc(now.plus(properties.claimLease()))));
        actions.audit(actor, AuditFilter.BULK_REPLAY, "job " + id + " " + filterJson, total, null);
        runAsOwner(id, token);
        return job(id);
    }

    public boolean cancel(String actor, String id) {
        int changed = jdbc.update("UPDATE replay_job SET state = 'CANCELLING' WHERE id = :id AND state = 'RUNNING'",
                new MapSqlParameterSource("id", id));
        if (changed > 0) {
            actions.audit(actor, AuditFilter.BULK_REPLAY_CANCEL, "job " + id, 0, null);
        }
        return changed > 0;
    }

    /**
     * The job's state (RUNNING, CANCELLING, CANCELLED, DONE, FAILED) and progress, with where what it replayed
     * stands now ({@code outcomes}: replayed, delivered, failed_again, waiting), or null when unknown.
     */
    public Map<String, Object> job(String id) {
        MapSqlParameterSource params = new MapSqlParameterSource("id", id);
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT id, created_by, created_at, filter_json, state, total, done, finished_at
                  FROM replay_job WHERE id = :id""", params);
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> job = AdminQueries.lowerKeys(rows.get(0));
        Map<String, Object> outcomes = new LinkedHashMap<>(jdbc.queryForObject(OUTCOMES, params, (row, i) -> Map.of(
                "replayed", row.getLong("replayed"), "delivered", row.getLong("delivered"),
                "failed_again", row.getLong("failed_again"))));
        outcomes.put("waiting", (Long) outcomes.get("replayed") - (Long) outcomes.get("delivered")
                - (Long) outcomes.get("failed_again"));
        job.put("outcomes", outcomes);
        return job;
    }

    /** Takes over the unfinished jobs whose instance is gone (their claim ran out) and resumes them. */
    public void resumeAbandoned() {
        if (stopping) {
            return;
        }
        OffsetDateTime now = Claims.utc(Instant.now(clock));
        List<String> abandoned = jdbc.queryForList("""
                SELECT id FROM replay_job WHERE state IN ('RUNNING', 'CANCELLING')
                   AND (claimed_until IS NULL OR claimed_until < :now)""",
                new MapSqlParameterSource("now", now), String.class);
        for (String id : abandoned) {
            String token = leases.newToken();
            int taken = jdbc.update("""
                    UPDATE replay_job SET claim_token = :token, claimed_until = :until
                     WHERE id = :id AND state IN ('RUNNING', 'CANCELLING')
                       AND (claimed_until IS NULL OR claimed_until < :now)""",
                    new MapSqlParameterSource("id", id).addValue("token", token).addValue("now", now)
                            .addValue("until", now.plus(properties.claimLease())));
            if (taken == 1) {
                log.warn("Resuming bulk replay {}: the instance that ran it stopped before it finished", id);
                runAsOwner(id, token);
            }
        }
    }

    /** Runs the job on this instance's worker, its claim renewed from now until it ends here. */
    private void runAsOwner(String id, String token) {
        leases.hold(id, RENEW, new MapSqlParameterSource("id", id).addValue("token", token),
                properties.claimLease());
        worker.submit(() -> {
            try {
                run(id, token);
            } finally {
                leases.release(id);
            }
        });
    }

    private void run(String id, String token) {
        MapSqlParameterSource job = new MapSqlParameterSource("id", id).addValue("token", token);
        try {
            Map.Entry<Instant, String> started = jdbc.queryForObject(
                    "SELECT created_at, filter_json FROM replay_job WHERE id = :id", job, (rows, i) -> Map.entry(
                            rows.getObject("created_at", OffsetDateTime.class).toInstant(), rows.getString("filter_json")));
            Instant startedAt = started.getKey();
            DeadLetterFilter filter = json.readValue(started.getValue(), DeadLetterFilter.class);
            while (true) {
                if (stopping) {
                    // Left RUNNING and unclaimed: another instance, or the next start, resumes it where it stands.
                    jdbc.update("UPDATE replay_job SET claim_token = NULL, claimed_until = NULL"
                            + " WHERE id = :id AND claim_token = :token", job);
                    log.warn("Bulk replay {} paused by shutdown; another instance or the next start resumes it", id);
                    return;
                }
                List<String> state = jdbc.queryForList(
                        "SELECT state FROM replay_job WHERE id = :id AND claim_token = :token", job, String.class);
                if (state.isEmpty()) {
                    log.warn("Bulk replay {} was taken over by another instance; leaving it to that one", id);
                    return;
                }
                if (!"RUNNING".equals(state.get(0))) {
                    finish(job, "CANCELLED");
                    return;
                }
                List<AdminQueries.DeadLetterKey> chunk = queries.deadLetterKeys(filter, startedAt, CHUNK);
                int replayed = 0;
                for (AdminQueries.DeadLetterKey key : chunk) {
                    replayed += replayAsItem(id, key);
                }
                countDone(job);
                if (replayed == 0) {
                    // Nothing left, or nothing in the chunk could change any more: either way the job is over.
                    finish(job, "DONE");
                    return;
                }
            }
        } catch (Exception e) {
            log.error("Bulk replay {} failed: {}", id, Redaction.summary(e, 500));
            finish(job, "FAILED");
        }
    }

    /**
     * Replays one dead letter and writes it down as the job's item in one transaction, so that an instance killed in
     * the middle of a chunk leaves no replay the job does not count (its dead letter would no longer be found).
     */
    private int replayAsItem(String id, AdminQueries.DeadLetterKey key) {
        // Taken before the replay: its first attempt may come before the item is written.
        Instant replayedAt = Instant.now(clock);
        Integer changed = transaction.execute(status -> {
            int replayed = actions.replayUnaudited(key);
            if (replayed > 0) {
                jdbc.update(ITEM, new MapSqlParameterSource("id", id).addValue("eventId", key.eventId())
                        .addValue("target", key.target() == null ? "" : key.target())
                        .addValue("now", Claims.utc(replayedAt)));
            }
            return replayed;
        });
        return changed == null ? 0 : changed;
    }

    /**
     * Progress is the items written, not a running sum: a job resumed after its instance died mid-chunk then shows
     * every replay, the dead instance's included, and ends at its total like its outcomes do.
     */
    private void countDone(MapSqlParameterSource job) {
        jdbc.update("""
                UPDATE replay_job SET done = LEAST(total, (SELECT COUNT(*) FROM replay_job_item WHERE job_id = :id))
                 WHERE id = :id AND claim_token = :token""", job);
    }

    private void finish(MapSqlParameterSource job, String state) {
        jdbc.update("""
                UPDATE replay_job SET state = :state, finished_at = :now, claim_token = NULL, claimed_until = NULL
                 WHERE id = :id AND claim_token = :token""", new MapSqlParameterSource(job.getValues())
                .addValue("state", state).addValue("now", Claims.utc(Instant.now(clock))));
    }

    /**
     * Stops a running job between chunks, leaving it for another instance or the next start. Never by interrupting
     * it: an interrupt inside the embedded store's file I/O closes H2's file channel and breaks the store for everyone.
     */
    @PreDestroy
    void stop() throws InterruptedException {
        stopping = true;
        worker.shutdown();
        worker.awaitTermination(30, TimeUnit.SECONDS);
    }
}
