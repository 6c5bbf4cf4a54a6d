package com.jodoerp.bridge.reconciliation;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.jodoerp.bridge.delivery.PaymentStandings;
import com.jodoerp.bridge.delivery.Receipt;
import com.jodoerp.bridge.store.Claims;
import com.jodoerp.bridge.store.StoreKind;
import com.jodoerp.bridge.store.StoredBodies;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;

/**
 * The bridge's ledger of payments (payment_ledger), written by dispatch in the same transaction as the records it
 * routes: one row per payment, the record of highest (precedence, occurred_at, event_id) winning, whatever the
 * order records arrive in. Instances sharing a PostgreSQL store may dispatch records of one new payment at once: there
 * the insert waits for the other's row and then inserts nothing ({@code ON CONFLICT DO NOTHING}), and the update that
 * follows applies the record if it wins. (A plain insert fails with a duplicate key once the other commits, in the
 * batch and again in the record's retry alone while the other's transaction is still open: the event was parked as
 * failed, its payment left as it stood.) Beside the winner, each row names the record that last booked the
 * payment's money while such a record won (booked_event_id). The books' targets ask it how a payment stands now.
 * A payment's day is that of its paid_at, as the ERP examples keep it: the winner's, else one a record that did not
 * win gave (the debit under the bounce that outranks it, whichever came first); a day from a record's time only
 * while no record has said when the money was paid.
 */
@Component
public class PaymentLedger implements PaymentStandings {

    private static final String INSERT = """
            INSERT INTO payment_ledger (payment_id, event_id, event_name, family, status, precedence, amount,
                                        occurred_at, paid_at, paid_day, booked_event_id)
            SELECT :paymentId, :eventId, :event, :family, :status, :precedence, :amount, :occurredAt,
                   CAST(:paidAt AS TIMESTAMP WITH TIME ZONE), :paidDay, CAST(:bookedEventId AS VARCHAR(128))
              FROM (SELECT 1 AS one) only_once
             WHERE NOT EXISTS (SELECT 1 FROM payment_ledger WHERE payment_id = :paymentId)""";
    private static final String INSERT_OR_WAIT = INSERT + " ON CONFLICT (payment_id) DO NOTHING";
    private static final String SUPERSEDE = """
            UPDATE payment_ledger SET event_id = :eventId, event_name = :event, family = :family, status = :status,
                   precedence = :precedence, amount = COALESCE(:amount, amount), occurred_at = :occurredAt,
                   paid_at = COALESCE(CAST(:paidAt AS TIMESTAMP WITH TIME ZONE), paid_at),
                   paid_day = CASE WHEN CAST(:paidAt AS TIMESTAMP WITH TIME ZONE) IS NULL AND paid_at IS NOT NULL
                                   THEN paid_day ELSE :paidDay END,
                   booked_event_id = COALESCE(CAST(:bookedEventId AS VARCHAR(128)), booked_event_id)
             WHERE payment_id = :paymentId
               AND (precedence < :precedence
                    OR (precedence = :precedence AND (occurred_at < :occurredAt
                        OR (occurred_at = :occurredAt AND event_id < :eventId))))""";
    /** A record that did not win still says when the money was paid, to a row that has not been told. */
    private static final String FILL_PAID_AT = """
            UPDATE payment_ledger SET paid_at = CAST(:paidAt AS TIMESTAMP WITH TIME ZONE), paid_day = :paidDay
             WHERE payment_id = :paymentId AND paid_at IS NULL""";

    private final NamedParameterJdbcTemplate jdbc;
    private final String insert;

    public PaymentLedger(NamedParameterJdbcTemplate jdbc, StoreKind store) {
        this.jdbc = jdbc;
        this.insert = store == StoreKind.POSTGRESQL ? INSERT_OR_WAIT : INSERT;
    }

    /** Records the facts; called inside dispatch's transaction. */
    public void record(List<PaymentFact> facts) {
        if (facts.isEmpty()) {
            return;
        }
        SqlParameterSource[] rows = facts.stream().map(fact -> new MapSqlParameterSource()
                .addValue("paymentId", fact.paymentId())
                .addValue("eventId", fact.eventId())
                .addValue("event", fact.event())
                .addValue("family", fact.family())
                .addValue("status", fact.status())
                .addValue("precedence", fact.precedence())
                .addValue("amount", fact.amount())
                .addValue("occurredAt", Claims.utc(fact.occurredAt()))
                .addValue("paidAt", fact.paidAt() == null ? null : Claims.utc(fact.paidAt()))
                .addValue("paidDay", fact.paidDay())
                .addValue("bookedEventId", Receipt.intentOf(fact.status()) == Receipt.Intent.BOOK ? fact.eventId()
                        : null)).toArray(SqlParameterSource[]::new);
        jdbc.batchUpdate(insert, rows);
        jdbc.batchUpdate(SUPERSEDE, rows);
        SqlParameterSource[] paid = Arrays.stream(rows).filter(row -> row.getValue("paidAt") != null)
                .toArray(SqlParameterSource[]::new);
        if (paid.length > 0) {
            jdbc.batchUpdate(FILL_PAID_AT, paid);
        }
    }

    @Override
    public Receipt.Intent standing(String paymentId) {
        List<String> status = jdbc.queryForList("SELECT status FROM payment_ledger WHERE payment_id = :paymentId",
                Map.of("paymentId", paymentId), String.class);
        return status.isEmpty() ? Receipt.Intent.NONE : Receipt.intentOf(status.get(0));
    }

    @Override
    public Optional<String> bookingRecord(String paymentId) {
        return jdbc.queryForList("SELECT" + StoredBodies.wholeRecord("e.canonical_record") + """
                FROM payment_ledger l JOIN inbox_event e ON e.event_id = l.booked_event_id
                 WHERE l.payment_id = :paymentId""", Map.of("paymentId", paymentId), String.class).stream()
                .findFirst();
    }
}
