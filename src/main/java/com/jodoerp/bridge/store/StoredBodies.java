package com.jodoerp.bridge.store;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Raw bodies and canonical records of stored events as the queues read them: a small one with its batch, a large one
 * alone when its turn comes. Jodo's webhooks are a few KB, but the intake takes up to its 1 MB limit, and a batch of
 * hundreds of bodies near it read together (a dispatch claim takes up to 500) would fill the bridge's memory; one at
 * a time, what the queues read at once is bounded by the batch size times {@link #IN_BATCH_BYTES}, and what a batch
 * holds while it is worked on by {@link #BATCH_BYTES}.
 */
@Component
public class StoredBodies {

    /** The largest body read with its batch: several times any Jodo webhook, small enough for hundreds at once. */
    private static final int IN_BATCH_BYTES = 16 * 1024;

    /**
     * The most a claimed batch carries, bodies and canonical records together (Claims): hundreds of Jodo's few-KB
     * webhooks, but two near the intake's limit. A large body is read alone, but its canonical record (a payment's
     * free-text notes are in it) is what dispatch's outcomes and an ERP's batched writes hold for the whole batch:
     * 300 webhooks of 900 KB filled the shipped heap at dispatch, and again at every restart. Each such event worked
     * on takes some 5 MB more while it is (its text, its parsed record, the record written out), and dispatch and
     * each target's lane work on one batch each at once: at 4 MB a batch, the heap still filled once on PostgreSQL.
     */
    public static final long BATCH_BYTES = 2L * 1024 * 1024;

    private final NamedParameterJdbcTemplate jdbc;

    public StoredBodies(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The select-list item {@code raw_body} of a batch, from {@code column}: the body when small, else NULL. */
    public static String inBatch(String column) {
        return " CASE WHEN OCTET_LENGTH(" + column + ") <= " + IN_BATCH_BYTES + " THEN " + asBytes(column)
                + " END AS raw_body ";
    }

    /**
     * The select-list item {@code canonical_record} of a batch, from {@code column}: the record when small, else NULL
     * (read alone by {@link #record}).
     */
    public static String recordInBatch(String column) {
        return " CASE WHEN OCTET_LENGTH(" + column + ") <= " + IN_BATCH_BYTES + " THEN " + asText(column)
                + " END AS canonical_record ";
    }

    /** The select-list item {@code canonical_record} read whole, from {@code column}. */
    public static String wholeRecord(String column) {
        return " " + asText(column) + " AS canonical_record ";
    }

    /**
     * The select-list item {@code stored_bytes} of a batch: what its body and its record hold (Claims). Their octet
     * lengths, which H2 keeps with a LOB and PostgreSQL with a TOASTed value, so neither is read to size it.
     */
    public static String storedBytes(String body, String record) {
        return " OCTET_LENGTH(" + body + ") + COALESCE(OCTET_LENGTH(" + record + "), 0) AS stored_bytes ";
    }

    /** The select-list item {@code raw_body} of one event read whole (an operator's view), from {@code column}. */
    public static String whole(String column) {
        return " " + asBytes(column) + " AS raw_body ";
    }

    /**
     * The body as bytes, whatever the column's type. H2 keeps each BLOB a query returns reachable for five minutes
     * (its LOB_TIMEOUT), and with it the space of a large body that has since been pruned: read as BLOBs, bodies near
     * the limit kept hundreds of megabytes of the file in use. PostgreSQL's column is BYTEA already.
     */
    private static String asBytes(String column) {
        return "CAST(" + column + " AS BYTEA)";
    }

    /**
     * The record as text. H2 keeps it as a CLOB (V16): read as one, a large record would stay reachable for five
     * minutes, as a BLOB does (above), and JDBC's getObject would give a Clob rather than the text.
     */
    private static String asText(String column) {
        return "CAST(" + column + " AS VARCHAR)";
    }

    /** The event's raw body: the one its batch read, or (null when large) read now. */
    public byte[] of(String eventId, byte[] readWithBatch) {
        return readWithBatch != null ? readWithBatch : read(eventId);
    }

    /**
     * The event's canonical record: the one its batch read, or (null when large) read now; null should the event
     * have none, or be gone.
     */
    public String record(String eventId, String readWithBatch) {
        return readWithBatch != null ? readWithBatch : jdbc.queryForList(
                "SELECT" + wholeRecord("canonical_record") + "FROM inbox_event WHERE event_id = :eventId",
                new MapSqlParameterSource("eventId", eventId), String.class).stream().findFirst().orElse(null);
    }

    /** One stored event's raw body, as bytes whichever way the store keeps it (H2 a large one as a BLOB, V13). */
    private byte[] read(String eventId) {
        return jdbc.queryForObject("SELECT " + asBytes("raw_body") + " FROM inbox_event WHERE event_id = :eventId",
                new MapSqlParameterSource("eventId", eventId), byte[].class);
    }
}
