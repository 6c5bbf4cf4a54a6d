package com.jodoerp.bridge.dispatch;

import java.sql.Connection;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import com.jodoerp.bridge.reconciliation.PaymentFact;
import com.jodoerp.bridge.reconciliation.PaymentLedger;
import com.jodoerp.bridge.store.StoreKind;
import com.jodoerp.bridge.store.StoredBodies;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * Every routed event's canonical record made again from its raw body, by this bridge's mapping, and its payment told
 * to the ledger. A record is made once, at dispatch, and delivered (or replayed) as stored: one stored by an earlier
 * release lacks what the mapping has added since (a payment's precedence, the event's version), so upgrading with
 * deliveries still to make had each one written without them, and the example ERP tables refused every payment
 * (status_rank cannot be null) as a dead letter that a replay could not mend. Releases before the ledger left it
 * empty besides, and the reconciliation missed every payment they had seen. The upgrade runs this before anything is
 * delivered; a record the mapping now refuses stays as it was, and is logged.
 * <p>
 * A Spring bean, as it maps with the school's settings (the ledger's day is the school's), so it lives outside
 * {@code db.migration}, where Flyway would make it without them. A later change to what the mapping writes adds a
 * migration of its own version extending this one.
 */
@Component
public class V17__Records_mapped_again extends BaseJavaMigration {

    private static final Logger log = LoggerFactory.getLogger(V17__Records_mapped_again.class);
    private static final int PAGE = 500;

    private final EventDispatcher dispatcher;

    public V17__Records_mapped_again(EventDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        // The migration's own connection and transaction: the pool's would wait on Flyway's locks.
        NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(new SingleConnectionDataSource(connection,
                true));
        PaymentLedger ledger = new PaymentLedger(jdbc, StoreKind.of(connection.getMetaData().getURL()));
        StoredBodies bodies = new StoredBodies(jdbc);
        int mapped = 0;
        int refused = 0;
        String after = "";
        List<Routed> page;
        do {
            page = jdbc.query("""
                    SELECT event_id, event_name, family, received_at FROM inbox_event
                     WHERE dispatch_state = 'ROUTED' AND event_id > :after
                     ORDER BY event_id FETCH FIRST :page ROWS ONLY""",
                    new MapSqlParameterSource("after", after).addValue("page", PAGE), (row, i) -> new Routed(
                            row.getString("event_id"), row.getString("event_name"), row.getString("family"),
                            row.getObject("received_at", OffsetDateTime.class).toInstant()));
            List<SqlParameterSource> records = new ArrayList<>();
            List<PaymentFact> payments = new ArrayList<>();
            long bytes = 0;
            for (Routed event : page) {
                after = event.eventId();
                DispatchOutcome outcome = dispatcher.map(event.eventId(), event.event(), event.family(),
                        bodies.of(event.eventId(), null), event.receivedAt());
                if (!outcome.routed()) {
                    refused++;
                    log.warn("Event {} ({}) keeps the record an earlier bridge made: this one does not map it ({})",
                            event.eventId(), event.event(), outcome.reason());
                    continue;
                }
                records.add(new MapSqlParameterSource("eventId", event.eventId())
                        .addValue("record", outcome.canonicalRecord()));
                if (outcome.payment() != null) {
                    payments.add(outcome.payment());
                }
                mapped++;
                // Records can be near the intake's 1 MB limit: what is held at once stays within a claim's bound.
                bytes += outcome.canonicalRecord().length();
                if (bytes > StoredBodies.BATCH_BYTES) {
                    write(jdbc, ledger, records, payments);
                    bytes = 0;
                }
            }
            write(jdbc, ledger, records, payments);
        } while (page.size() == PAGE);
        if (mapped + refused > 0) {
            log.info("Canonical records made again by this bridge's mapping: {} ({} kept as they were)", mapped,
                    refused);
        }
    }

    private static void write(NamedParameterJdbcTemplate jdbc, PaymentLedger ledger, List<SqlParameterSource> records,
                              List<PaymentFact> payments) {
        if (!records.isEmpty()) {
            jdbc.batchUpdate("UPDATE inbox_event SET canonical_record = :record WHERE event_id = :eventId",
                    records.toArray(SqlParameterSource[]::new));
        }
        // The ledger keeps the record of highest precedence whatever order it is told in, as at dispatch.
        ledger.record(payments);
        records.clear();
        payments.clear();
    }

    /** A routed event as the page lists it; its body is read alone (it may be near the intake's 1 MB limit). */
    private record Routed(String eventId, String event, String family, Instant receivedAt) {
    }
}
