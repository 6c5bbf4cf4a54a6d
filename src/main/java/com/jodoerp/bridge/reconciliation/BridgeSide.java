package com.jodoerp.bridge.reconciliation;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.jodoerp.bridge.reconciliation.Reconciliation.Tally;
import com.jodoerp.bridge.store.StoredBodies;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The bridge's side of one day, for its report: where each target's deliveries of the day's events and of the day's
 * payments stand, the payments' fee components, and the payments whose records are past retention.
 *
 * <p>Deliveries and events are looked up by event id, a chunk of ids per statement, with the ids sorted first. A day's
 * rows come in the order they arrived, which is random against their ids (Jodo's are UUIDs): joined in that order,
 * nearly every row read another page of the id's index, and the embedded store keeps few pages in memory
 * ({@code CACHE_SIZE}, README "Storage and retention"), so a day of 100,000 payments took 12 s to report. In id order,
 * consecutive lookups share their pages. Where a row's other columns are wanted too, it is read where it lies: on
 * the embedded store the rows are then taken in the order H2 keeps them (by its row key, {@code _ROWID_}, found from
 * the id's index alone), since in id order nearly every row of a wide table (an event's row holds its body and
 * record) was on a page of its own; PostgreSQL orders such reads by itself.
 */
final class BridgeSide {

    private static final int CHUNK = 500;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    /** What a record that cannot be read counts for. */
    private static final List<Line> UNREADABLE = List.of(new Line("unreadable record", null));

    /** A payment of the ledger; {@code delivery} is where one target's delivery of its winning record stands. */
    record LedgerRow(String paymentId, String eventId, String status, BigDecimal amount, String delivery) {
        LedgerRow delivered(String state) {
            return new LedgerRow(paymentId, eventId, status, amount, state);
        }
    }

    /** Per target: the day's events by delivery state. */
    final Map<String, List<Tally>> events = new HashMap<>();
    /** Per target: the day's payments routed there, each with its delivery's state, in the ledger's order. */
    final Map<String, List<LedgerRow>> payments = new HashMap<>();
    /** Per target: the fee components of those payments, from their winning records. */
    final Map<String, List<Tally>> feeComponents = new HashMap<>();
    /** The day's payments, by status, whose winning record the bridge no longer keeps. */
    final List<Tally> pastRetention;

    private final NamedParameterJdbcTemplate jdbc;
    private final boolean h2;

    private BridgeSide(NamedParameterJdbcTemplate jdbc, boolean h2, MapSqlParameterSource window,
                       Collection<String> targets) {
        this.jdbc = jdbc;
        this.h2 = h2;
        Map<String, Map<String, Long>> eventStates = new HashMap<>();
        List<String> received = jdbc.queryForList(
                "SELECT event_id FROM inbox_event WHERE received_at >= :from AND received_at < :to", window,
                String.class);
        inIdOrder(jdbc, received, """
                SELECT target, state, COUNT(*) AS n FROM delivery WHERE event_id IN (:ids)
                 GROUP BY target, state""", row -> {
                    if (targets.contains(row.getString("target"))) {
                        eventStates.computeIfAbsent(row.getString("target"), target -> new TreeMap<>())
                                .merge(row.getString("state"), row.getLong("n"), Long::sum);
                    }
                });

        List<LedgerRow> ledger = jdbc.query(
                "SELECT payment_id, event_id, status, amount FROM payment_ledger WHERE paid_day = :day", window,
                (row, i) -> new LedgerRow(row.getString("payment_id"), row.getString("event_id"),
                        row.getString("status"), row.getBigDecimal("amount"), null));
        List<String> ledgerEvents = ledger.stream().map(LedgerRow::eventId).toList();
        Map<String, Map<String, String>> deliveryStates = new HashMap<>();
        rowsOf("delivery", "event_id, target, state", ledgerEvents, row -> {
            if (targets.contains(row.getString("target"))) {
                deliveryStates.computeIfAbsent(row.getString("target"), target -> new HashMap<>())
                        .put(row.getString("event_id"), row.getString("state"));
            }
        });

        Map<String, Map<String, Tally>> components = new HashMap<>();
        Set<String> stored = new HashSet<>();
        // A chunk's records with it only when small, as the queues read them: a day of payments whose notes make
        // their records near 1 MB, read 500 at a time, filled the heap whenever the day was reported.
        StoredBodies bodies = new StoredBodies(jdbc);
        rowsOf("inbox_event", "event_id," + StoredBodies.recordInBatch("canonical_record"), ledgerEvents, row -> {
            String eventId = row.getString("event_id");
            stored.add(eventId);
            List<String> routedTo = targets.stream().filter(target -> deliveryStates
                    .getOrDefault(target, Map.of()).containsKey(eventId)).toList();
            if (!routedTo.isEmpty()) {
                addComponents(bodies.record(eventId, row.getString("canonical_record")), routedTo, components);
            }
        });

        for (String target : targets) {
            events.put(target, tallies(eventStates.getOrDefault(target, Map.of())));
            Map<String, String> states = deliveryStates.getOrDefault(target, Map.of());
            payments.put(target, ledger.stream().filter(row -> states.containsKey(row.eventId()))
                    .map(row -> row.delivered(states.get(row.eventId()))).toList());
            feeComponents.put(target, List.copyOf(components.getOrDefault(target, Map.of()).values()));
        }
        pastRetention = pastRetention(ledger.stream().filter(row -> !stored.contains(row.eventId())).toList());
    }

    /** Reads the day's side; {@code window} binds from, to (UTC) and day; {@code h2}: the store is H2. */
    static BridgeSide read(NamedParameterJdbcTemplate jdbc, boolean h2, MapSqlParameterSource window,
                           Collection<String> targets) {
        return new BridgeSide(jdbc, h2, window, Set.copyOf(targets));
    }

    /** The {@code columns} of the rows of {@code table} whose event_id is one of {@code ids}, row by row. */
    private void rowsOf(String table, String columns, Collection<String> ids, RowCallbackHandler rows) {
        if (!h2) {
            inIdOrder(jdbc, ids, "SELECT " + columns + " FROM " + table + " WHERE event_id IN (:ids)", rows);
            return;
        }
        List<Long> keys = new ArrayList<>();
        inIdOrder(jdbc, ids, "SELECT _ROWID_ FROM " + table + " WHERE event_id IN (:ids)",
                row -> keys.add(row.getLong(1)));
        Collections.sort(keys);
        // The range is what makes H2 seek: with the list alone it scanned the whole table for each chunk.
        inChunks(keys, chunk -> jdbc.query("SELECT " + columns + " FROM " + table
                + " WHERE _ROWID_ BETWEEN :first AND :last AND _ROWID_ IN (:keys)", new MapSqlParameterSource("keys",
                chunk).addValue("first", chunk.get(0)).addValue("last", chunk.get(chunk.size() - 1)), rows));
    }

    /** Runs {@code sql}, which names the ids {@code :ids}, for the distinct ids in sorted order, a chunk at a time. */
    static void inIdOrder(NamedParameterJdbcTemplate jdbc, Collection<String> ids, String sql,
                          RowCallbackHandler rows) {
        inChunks(ids.stream().distinct().sorted().toList(),
                chunk -> jdbc.query(sql, new MapSqlParameterSource("ids", chunk), rows));
    }

    private static <T> void inChunks(List<T> all, Consumer<List<T>> each) {
        for (int start = 0; start < all.size(); start += CHUNK) {
            each.accept(all.subList(start, Math.min(all.size(), start + CHUNK)));
        }
    }

    /** One line of a record's fee components. */
    private record Line(String component, BigDecimal amount) {
    }

    private static void addComponents(String record, List<String> targets,
                                      Map<String, Map<String, Tally>> components) {
        List<Line> lines = record == null ? UNREADABLE : linesOf(record);
        for (String target : targets) {
            Map<String, Tally> byComponent = components.computeIfAbsent(target, t -> new TreeMap<>());
            lines.forEach(line -> Reconciliation.add(byComponent, line.component(), line.amount()));
        }
    }

    private static List<Line> linesOf(String record) {
        List<Line> lines = new ArrayList<>();
        try {
            for (JsonNode line : JSON.readTree(record).path("payment").path("components")) {
                lines.add(new Line(line.path("fee_component").asText("unallocated"),
                        line.path("amount").isNumber() ? line.path("amount").decimalValue() : null));
            }
            return lines;
        } catch (IOException unreadable) {
            return UNREADABLE;
        }
    }

    private static List<Tally> tallies(Map<String, Long> counts) {
        return counts.entrySet().stream().map(count -> new Tally(count.getKey(), count.getValue(), null)).toList();
    }

    /** By status, as SQL's SUM adds: the amounts there are, none when there are none. */
    private static List<Tally> pastRetention(List<LedgerRow> gone) {
        Map<String, Tally> byStatus = new TreeMap<>();
        for (LedgerRow row : gone) {
            byStatus.merge(row.status(), new Tally(row.status(), 1, row.amount()), (a, b) -> new Tally(a.key(),
                    a.count() + 1, a.amount() == null ? b.amount() : b.amount() == null ? a.amount()
                    : a.amount().add(b.amount())));
        }
        return List.copyOf(byStatus.values());
    }
}
