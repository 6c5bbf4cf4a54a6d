package com.jodoerp.bridge.store;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * Taking a batch of work rows for this instance, in three statements that each stay proportional to the batch:
 * <ol>
 *   <li>{@code candidates} reads the keys of up to {@code :limit} free rows off an index, in its order
 *       ({@code :now}, {@code :limit}, and the caller's own, such as the target of a delivery lane); {@code key}
 *       turns each into the parameters of the next statement;</li>
 *   <li>{@code claimOne} marks one row, by its primary key, with a fresh token and a lease ({@code :token},
 *       {@code :until}), repeating the "free" condition ({@code :now}): a row another instance took meanwhile
 *       is not taken again;</li>
 *   <li>{@code claimed} reads back the rows that carry the token, among the candidates ({@code :eventIds}), each
 *       with {@code stored_bytes}, the size of the body and record it carries (read whole only when small,
 *       {@link StoredBodies});</li>
 *   <li>{@code release} hands back, by its key and the token, a row beyond what a batch may hold: the rows read are
 *       kept up to {@link StoredBodies#BATCH_BYTES}, so a batch of events near the intake's 1 MB limit (whose
 *       canonical records, outcomes and ERP writes the batch holds together) cannot fill the bridge's memory.</li>
 * </ol>
 * The database decides who gets a row, so two instances never take the same one; a dead instance's rows come free
 * when its lease runs out. (One UPDATE with {@code IN (subquery)} did the same, but H2 ran it by scanning every
 * pending row, and found the claimed rows by scanning the whole table: a backlog drained slower the longer it got.)
 */
public final class Claims {

    /** The statements of one kind of work row (see the class comment). */
    public record Queries(String candidates, RowMapper<MapSqlParameterSource> key, String claimOne, String claimed,
                          String release) {
    }

    /**
     * The rows taken, and the token that must accompany their outcome; {@code cut} when rows were handed back for
     * want of room, so the caller takes the next batch at once, as after a full one.
     */
    public record Batch<T>(String token, List<T> rows, boolean cut) {
    }

    /** A row read back, with its key and what it carries. */
    private record Read<T>(T row, MapSqlParameterSource key, long bytes) {
    }

    private static final Comparator<MapSqlParameterSource> KEY_ORDER = Comparator
            .comparing((MapSqlParameterSource key) -> String.valueOf(key.getValue("eventId")))
            .thenComparing(key -> key.hasValue("target") ? String.valueOf(key.getValue("target")) : "");

    private Claims() {
    }

    /**
     * Takes up to {@code limit} rows under {@code token} (ClaimLeases.newToken) until {@code now} + {@code lease};
     * {@code filter} holds the candidates statement's own parameters.
     */
    public static <T> Batch<T> take(NamedParameterJdbcTemplate jdbc, Queries queries, Map<String, ?> filter,
                                    String token, Instant now, Duration lease, int limit, RowMapper<T> rows) {
        OffsetDateTime at = utc(now);
        List<MapSqlParameterSource> candidates = jdbc.query(queries.candidates(),
                new MapSqlParameterSource(filter).addValue("now", at).addValue("limit", limit), queries.key());
        if (candidates.isEmpty()) {
            return new Batch<>(token, List.of(), false);
        }
        // Marked in key order, the same for every taker: two batches that overlap (another instance, or a poll that
        // starts before the last one ended) then wait for each other instead of deadlocking.
        SqlParameterSource[] claims = candidates.stream().sorted(KEY_ORDER).map(key -> key
                .addValue("token", token)
                .addValue("until", at.plus(lease))
                .addValue("now", at)).toArray(SqlParameterSource[]::new);
        jdbc.batchUpdate(queries.claimOne(), claims);
        List<Object> eventIds = candidates.stream().map(key -> key.getValue("eventId")).distinct().toList();
        List<Read<T>> read = jdbc.query(queries.claimed(),
                new MapSqlParameterSource("token", token).addValue("eventIds", eventIds),
                (row, i) -> new Read<>(rows.mapRow(row, i), queries.key().mapRow(row, i), row.getLong("stored_bytes")));
        return within(jdbc, queries, token, read);
    }

    /** The rows read, up to {@link StoredBodies#BATCH_BYTES} (the first whatever its size); the rest handed back. */
    private static <T> Batch<T> within(NamedParameterJdbcTemplate jdbc, Queries queries, String token,
                                       List<Read<T>> read) {
        long bytes = 0;
        int kept = 0;
        while (kept < read.size() && (kept == 0 || bytes + read.get(kept).bytes() <= StoredBodies.BATCH_BYTES)) {
            bytes += read.get(kept).bytes();
            kept++;
        }
        List<T> rows = read.subList(0, kept).stream().map(Read::row).toList();
        if (kept == read.size()) {
            return new Batch<>(token, rows, false);
        }
        jdbc.batchUpdate(queries.release(), read.subList(kept, read.size()).stream().map(Read::key).sorted(KEY_ORDER)
                .map(key -> key.addValue("token", token)).toArray(SqlParameterSource[]::new));
        return new Batch<>(token, rows, true);
    }

    public static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
