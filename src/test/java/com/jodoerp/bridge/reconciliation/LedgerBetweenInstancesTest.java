package com.jodoerp.bridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.RealDatabases;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Instances sharing a PostgreSQL store dispatch records of one payment at the same moment, behind a load balancer.
 * The other instance is played here by transactions of our own that write the ledger rows of two new payments as its
 * dispatch does, and commit while this bridge's dispatch waits for them: every record is still routed and decides its
 * payment as it should, none parked as failed.
 */
class LedgerBetweenInstancesTest {

    @TempDir
    Path dataDir;

    @Test
    void recordsOfPaymentsAnotherInstanceIsRecordingAtTheSameMomentAreRoutedAndWin() throws Exception {
        String database = RealDatabases.createPostgresDatabase();
        Map<String, String> settings = new HashMap<>(RealDatabases.postgresStore(database));
        // Both webhooks are claimed by one dispatch, as a busy instance claims many: its batch meets both rows.
        settings.put("bridge.dispatch.poll-interval", "2s");
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings);
             Connection first = otherInstance(database);
             Connection second = otherInstance(database)) {
            String firstPayment = "pay_" + Samples.freshId().substring(0, 8);
            String secondPayment = "pay_" + Samples.freshId().substring(0, 8);
            debitedByTheOtherInstance(first, firstPayment);
            debitedByTheOtherInstance(second, secondPayment);
            List<String> settled = List.of(Samples.freshId(), Samples.freshId());
            post(bridge, settled.get(0), firstPayment);
            post(bridge, settled.get(1), secondPayment);

            JdbcTemplate reader = bridge.jdbc();
            await().atMost(Duration.ofSeconds(30)).until(() -> RealDatabases.postgresLockWaits(reader, database) > 0);
            first.commit();
            await().atMost(Duration.ofSeconds(30)).until(() -> RealDatabases.postgresLockWaits(reader, database) > 0);
            second.commit();

            await().atMost(Duration.ofSeconds(30)).until(() -> settled.stream()
                    .noneMatch(id -> "PENDING".equals(bridge.dispatchState(id))));
            for (String id : settled) {
                assertThat(bridge.dispatchState(id)).as(bridge.parkedReason(id)).isEqualTo("ROUTED");
            }
            for (String payment : List.of(firstPayment, secondPayment)) {
                assertThat(reader.queryForObject("SELECT status FROM payment_ledger WHERE payment_id = ?",
                        String.class, payment)).as(payment).isEqualTo("SETTLED");
            }
        } finally {
            RealDatabases.dropPostgresDatabase(database);
        }
    }

    private static Connection otherInstance(String database) throws Exception {
        Connection connection = DriverManager.getConnection(RealDatabases.postgresUrl(database),
                RealDatabases.POSTGRES_USER, "");
        connection.setAutoCommit(false);
        return connection;
    }

    /** The ledger row another instance's dispatch writes for the payment's debit, left uncommitted. */
    private static void debitedByTheOtherInstance(Connection connection, String payment) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO payment_ledger (payment_id, event_id, event_name, family, status, precedence, amount,
                                            occurred_at, paid_day, booked_event_id)
                VALUES (?, ?, 'flex.instalment.debited', 'flex', 'DEBITED', 1, 20500.00, ?, ?, ?)""")) {
            String eventId = Samples.freshId();
            insert.setString(1, payment);
            insert.setString(2, eventId);
            insert.setObject(3, OffsetDateTime.of(2024, 7, 10, 6, 40, 12, 0, ZoneOffset.UTC));
            insert.setObject(4, LocalDate.of(2024, 7, 10));
            insert.setString(5, eventId);
            insert.executeUpdate();
        }
    }

    private static void post(BridgeInstance bridge, String eventId, String payment) {
        String body = Samples.ofPayment("flex.instalment.settled", eventId, payment);
        assertThat(bridge.postWebhook(body.getBytes(StandardCharsets.UTF_8), null).statusCode()).isEqualTo(202);
    }
}
