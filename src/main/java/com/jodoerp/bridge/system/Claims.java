package com.jodoerp.bridge.system;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Taking a batch of work rows for this instance: one UPDATE marks up to {@code :limit} free rows with a fresh
 * token and a lease ({@code :token}, {@code :until}, {@code :now}), then the rows with that token are read.
 * The database decides who gets a row, so two instances never take the same one; a dead instance's rows
 * come free when its lease runs out.
 */
public final class Claims {

    /** Exchange property: the last batch was full, so there may be more waiting right away. */
    public static final String BATCH_FULL = "jodoBatchFull";

    /** The rows taken, and the token that must accompany their outcome. */
    public record Batch<T>(String token, List<T> rows) {
    }

    private Claims() {
    }

    public static <T> Batch<T> take(NamedParameterJdbcTemplate jdbc, String claimSql, String claimedSql,
                                    Instant now, Duration lease, int limit, RowMapper<T> rows) {
        String token = UUID.randomUUID().toString();
        OffsetDateTime at = utc(now);
        int claimed = jdbc.update(claimSql, new MapSqlParameterSource()
                .addValue("token", token)
                .addValue("until", at.plus(lease))
                .addValue("now", at)
                .addValue("limit", limit));
        if (claimed == 0) {
            return new Batch<>(token, List.of());
        }
        return new Batch<>(token, jdbc.query(claimedSql, new MapSqlParameterSource("token", token), rows));
    }

    public static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
