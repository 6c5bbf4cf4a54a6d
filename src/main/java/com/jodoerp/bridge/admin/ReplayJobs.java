package com.jodoerp.bridge.admin;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jodoerp.bridge.system.Claims;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Bulk replay by filter, in the background: every dead letter the filter matches when the job starts is
 * replayed, in chunks, with progress kept in the database (so any instance can show it) and a cancel
 * that takes effect between chunks.
 */
@Component
public class ReplayJobs {

    private static final Logger log = LoggerFactory.getLogger(ReplayJobs.class);
    private static final int CHUNK = 100;

    private final AdminQueries queries;
    private final OperatorActions actions;
    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "bulk-replay");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean stopping;

    public ReplayJobs(AdminQueries queries, OperatorActions actions, NamedParameterJdbcTemplate jdbc, ObjectMapper json,
                      Clock clock) {
        this.queries = queries;
        this.actions = actions;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** Starts replaying every current match of {@code filter}; returns the job as {@link #job} shows it. */
    public Map<String, Object> start(String actor, DeadLetterFilter filter) throws JsonProcessingException {
        List<AdminQueries.DeadLetterKey> matches = queries.deadLetterKeys(filter);
        String id = UUID.randomUUID().toString();
        String filterJson = json.writeValueAsString(filter);
        jdbc.update("""
                INSERT INTO replay_job (id, created_by, created_at, filter_json, state, total, done)
                VALUES (:id, :actor, :now, :filter, 'RUNNING', :total, 0)""", new MapSqlParameterSource("id", id)
                .addValue("actor", actor).addValue("now", Claims.utc(Instant.now(clock)))
                .addValue("filter", filterJson).addValue("total", matches.size()));
        actions.audit(actor, "BULK_REPLAY", "job " + id + " " + filterJson, matches.size(), null);
        worker.submit(() -> run(id, matches));
        return job(id);
    }

    public boolean cancel(String actor, String id) {
        int changed = jdbc.update("UPDATE replay_job SET state = 'CANCELLING' WHERE id = :id AND state = 'RUNNING'",
                new MapSqlParameterSource("id", id));
        if (changed > 0) {
            actions.audit(actor, "BULK_REPLAY_CANCEL", "job " + id, 0, null);
        }
        return changed > 0;
    }

    /** The job's state (RUNNING, CANCELLING, CANCELLED, DONE, FAILED) and progress, or null when unknown. */
    public Map<String, Object> job(String id) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT id, created_by, created_at, filter_json, state, total, done, finished_at
                  FROM replay_job WHERE id = :id""", new MapSqlParameterSource("id", id));
        if (rows.isEmpty()) {
            return null;
        }
        return AdminQueries.lowerKeys(rows.get(0));
    }

    private void run(String id, List<AdminQueries.DeadLetterKey> matches) {
        MapSqlParameterSource job = new MapSqlParameterSource("id", id);
        try {
            for (int start = 0; start < matches.size(); start += CHUNK) {
                if (stopping) {
                    log.warn("Bulk replay {} stopped by shutdown after {} of {}; start it again to replay the rest",
                            id, start, matches.size());
                    finish(id, "FAILED");
                    return;
                }
                String state = jdbc.queryForObject("SELECT state FROM replay_job WHERE id = :id", job, String.class);
                if (!"RUNNING".equals(state)) {
                    finish(id, "CANCELLED");
                    return;
                }
                for (AdminQueries.DeadLetterKey key : matches.subList(start, Math.min(matches.size(), start + CHUNK))) {
                    actions.replayUnaudited(key);
                }
                jdbc.update("UPDATE replay_job SET done = :done WHERE id = :id",
                        new MapSqlParameterSource("id", id).addValue("done", Math.min(matches.size(), start + CHUNK)));
            }
            finish(id, "DONE");
        } catch (RuntimeException e) {
            log.error("Bulk replay {} failed", id, e);
            finish(id, "FAILED");
        }
    }

    private void finish(String id, String state) {
        jdbc.update("UPDATE replay_job SET state = :state, finished_at = :now WHERE id = :id",
                new MapSqlParameterSource("id", id).addValue("state", state)
                        .addValue("now", Claims.utc(Instant.now(clock))));
    }

    /**
     * Stops a running job between chunks. Never by interrupting it: an interrupt inside the embedded store's file
     * I/O closes H2's file channel and breaks the store for everyone.
     */
    @PreDestroy
    void stop() throws InterruptedException {
        stopping = true;
        worker.shutdown();
        worker.awaitTermination(30, TimeUnit.SECONDS);
    }
}
