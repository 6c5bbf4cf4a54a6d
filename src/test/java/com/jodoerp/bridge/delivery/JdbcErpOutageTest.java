package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.FreezableRelay;
import com.jodoerp.bridge.support.RealDatabases;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The school's database is unreachable, or takes connections and then waits without end (a table locked by another
 * program): every event still lands in it, once, when it is back, and meanwhile the other targets go on.
 */
class JdbcErpOutageTest {

    @TempDir
    Path dataDir;

    private String database;
    private JdbcTemplate erp;

    @BeforeEach
    void createErpDatabase() {
        database = RealDatabases.createPostgresDatabase();
        erp = new JdbcTemplate(new DriverManagerDataSource(RealDatabases.postgresUrl(database),
                RealDatabases.POSTGRES_USER, ""));
        ErpTargets.createSchema(erp, "postgresql");
    }

    @AfterEach
    void dropErpDatabase() {
        RealDatabases.dropPostgresDatabase(database);
    }

    @Test
    void anUnreachableErpDatabaseGetsEverythingOnceWhenItIsBack() throws Exception {
        Map<String, String> settings = erpDatabase();
        settings.put("bridge.targets.erp.families", "direct");
        settings.put("bridge.delivery.retry.initial-backoff", "200ms");
        settings.put("bridge.delivery.retry.max-backoff", "1s");
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings)) {
            RealDatabases.postgresAdmin("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
            List<String> payments = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            try {
                RealDatabases.postgresAdmin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE datname = '" + database + "'");
                for (int i = 0; i < 10; i++) {
                    String id = Samples.freshId();
                    String payment = "pay_outage_" + i;
                    ids.add(id);
                    payments.add(payment);
                    assertThat(bridge.postWebhook(payment(id, payment), null).statusCode()).isEqualTo(202);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream()
                        .allMatch(id -> bridge.deliveryAttempts(id, "erp") >= 1));
                assertThat(ids).allSatisfy(id -> assertThat(bridge.deliveryState(id, "erp")).isEqualTo("PENDING"));
            } finally {
                RealDatabases.postgresAdmin("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream()
                    .allMatch(id -> "DELIVERED".equals(bridge.deliveryState(id, "erp"))));
            for (String payment : payments) {
                assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_payment WHERE id = ?", Integer.class,
                        payment)).isEqualTo(1);
                assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_payment_line WHERE payment_id = ?",
                        Integer.class, payment)).isEqualTo(2);
            }
        }
    }

    @Test
    void anErpDatabaseThatWaitsWithoutEndHoldsUpNoOtherTarget() throws Exception {
        Map<String, String> settings = erpDatabase();
        settings.put("bridge.targets.outbox.enabled", "true");
        holdsSoon(settings);
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings)) {
            List<String> ids;
            try (Connection other = erpConnection()) {
                lockErpStudents(other);
                ids = bridge.postEverySecond(10, id -> payment(id, "pay_" + id));
                await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream()
                        .allMatch(id -> "DELIVERED".equals(bridge.deliveryState(id, "outbox"))));
                // Without a bound, a batch waited for its ERP writes two minutes, the outbox's records with it.
                assertThat(bridge.deliveryLags("outbox", ids)).hasSize(ids.size())
                        .allSatisfy(lag -> assertThat(lag).as("outbox lag, ms").isLessThan(5000));
                assertThat(ids).allSatisfy(id -> assertThat(bridge.deliveryState(id, "erp")).isEqualTo("PENDING"));
                other.rollback();
            }
            // The lock is gone: the writes that waited land, and so does every other record, once.
            await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream()
                    .allMatch(id -> "DELIVERED".equals(bridge.deliveryState(id, "erp"))));
            for (String id : ids) {
                assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_payment WHERE id = ? AND event_id = ?",
                        Integer.class, "pay_" + id, id)).isEqualTo(1);
                assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_payment_line WHERE payment_id = ?",
                        Integer.class, "pay_" + id)).isEqualTo(2);
            }
            assertThat(bridge.jdbc().queryForObject("""
                    SELECT COUNT(*) FROM delivery_attempt WHERE target = 'erp' AND outcome = 'DELIVERED'
                       AND duration_ms >= 1000""", Integer.class))
                    .as("writes that outlived their batch's wait, recorded delivered when they landed").isPositive();
        }
    }

    @Test
    void aDatabaseThatStopsAnsweringMidStatementIsLeftForANewConnection() throws Exception {
        try (FreezableRelay network = new FreezableRelay(5432)) {
            Map<String, String> settings = erpDatabase("jdbc:postgresql://127.0.0.1:" + network.port() + "/" + database);
            settings.put("bridge.targets.erp.options.socket-timeout", "3s");
            holdsSoon(settings);
            try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings)) {
                List<String> ids = new ArrayList<>();
                ids.add(postPayment(bridge));
                await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(bridge.deliveryState(ids.get(0),
                        "erp")));
                // The network drops the database's packets: the writers' open connections wait for answers that
                // never come, and so would the writers, on a connection the operating system keeps for many minutes.
                network.freeze();
                for (int i = 0; i < 6; i++) {
                    ids.add(postPayment(bridge));
                }
                List<String> sentWhileFrozen = ids.subList(1, ids.size());
                await().atMost(Duration.ofSeconds(30)).until(() -> sentWhileFrozen.stream()
                        .allMatch(id -> bridge.deliveryAttempts(id, "erp") >= 1));
                network.thaw();
                // The frozen connections stay silent for ever: only new ones get the records through.
                everyPaymentLandsOnce(bridge, ids, Duration.ofSeconds(90));
            }
        }
    }

    @Test
    void aBatchCaughtMidTransactionByANetworkOutageFailsPromptlyAndLandsOnce() throws Exception {
        try (FreezableRelay network = new FreezableRelay(5432)) {
            Map<String, String> settings = erpDatabase("jdbc:postgresql://127.0.0.1:" + network.port() + "/" + database);
            settings.put("bridge.targets.erp.options.socket-timeout", "3s");
            // One writer, so that the records queue for one; no hold, so that they are all handed to it.
            settings.put("bridge.targets.erp.options.max-connections", "1");
            settings.put("bridge.delivery.slow-attempt", "60s");
            settings.put("bridge.delivery.retry.initial-backoff", "1s");
            settings.put("bridge.delivery.retry.max-backoff", "2s");
            try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings);
                 Connection first = erpConnection(); Connection second = erpConnection()) {
                lockErpStudents(first);
                // More than a batch holds: however many of them the writer's first batch took, its next one has at
                // least ten (a batch is MAX_BATCH records at most).
                List<String> ids = paymentsDueTogether(bridge, ErpBatches.MAX_BATCH + 10);
                // The writer's first batch waits on the lock, the other records queue behind it; a second lock
                // waits behind that batch, so that when the first lock goes, the first batch commits and the next
                // waits on the second half-way through its transaction.
                await().atMost(Duration.ofSeconds(30)).until(() -> waitingOnLocks() == 1);
                CompletableFuture<Void> secondLock = CompletableFuture.runAsync(() -> {
                    try {
                        lockErpStudents(second);
                    } catch (SQLException ended) {
                        // Ended with every connection to the ERP below.
                    }
                });
                await().atMost(Duration.ofSeconds(30)).until(() -> waitingOnLocks() == 2);
                first.rollback();
                await().atMost(Duration.ofSeconds(30)).until(() -> waitingOnLocks() == 1
                        && erp.queryForObject("SELECT COUNT(*) FROM erp_payment", Integer.class) > 0);
                List<String> batch = ids.stream().filter(id -> erp.queryForObject(
                        "SELECT COUNT(*) FROM erp_payment WHERE id = ?", Integer.class, "pay_" + id) == 0).toList();
                assertThat(batch).as("records of the batch caught mid-transaction, and any behind it")
                        .hasSizeGreaterThanOrEqualTo(10);
                // The network drops the database's packets under that batch: its transaction fails (the socket
                // timeout), and no record of it can get a connection while the network is out. Each record's failure
                // is recorded within seconds (not one connection timeout of 5 s after another: 50 s or more), so the
                // writer's other records do not wait behind them.
                network.freeze();
                await().atMost(Duration.ofSeconds(20)).until(() -> batch.stream()
                        .allMatch(id -> bridge.deliveryAttempts(id, "erp") >= 1));
                assertThat(batch).allSatisfy(id -> assertThat(bridge.deliveryState(id, "erp")).isEqualTo("PENDING"));
                network.thaw();
                // The frozen connection's transaction, and the second lock, end with their connections.
                RealDatabases.postgresAdmin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE datname = '" + database + "'");
                secondLock.join();
                everyPaymentLandsOnce(bridge, ids, Duration.ofSeconds(60));
            }
        }
    }

    @Test
    void aLockedErpDatabaseFailsNoDeliveryWhileItIsOnlySlow() throws Exception {
        Map<String, String> settings = erpDatabase();
        settings.put("bridge.targets.erp.options.max-connections", "1");
        settings.put("bridge.delivery.slow-attempt", "60s");
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings); Connection other = erpConnection()) {
            lockErpStudents(other);
            List<String> ids = paymentsDueTogether(bridge, 40);
            // Longer than the pool's wait for a connection (5 s): the target's one connection is its one writer's,
            // waiting on the lock, and the records behind that writer wait for it, not for the pool.
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingOnLocks() == 1);
            await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(12)).until(() -> waitingOnLocks() == 1);
            other.rollback();
            everyPaymentLandsOnce(bridge, ids, Duration.ofSeconds(60));
            assertThat(bridge.jdbc().queryForList("SELECT error FROM delivery_attempt WHERE target = 'erp'"
                    + " AND outcome <> 'DELIVERED'", String.class)).as("attempts that failed").isEmpty();
        }
    }

    /**
     * Payments of {@code count} students (one student's records are delivered one after another), all due when
     * delivery next looks: delivery is held back while they are posted.
     */
    private static List<String> paymentsDueTogether(BridgeInstance bridge, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        try (AutoCloseable held = bridge.holdDelivery()) {
            for (int i = 0; i < count; i++) {
                String id = Samples.freshId();
                assertThat(bridge.postWebhook(new String(payment(id, "pay_" + id), StandardCharsets.UTF_8)
                        .replace("\"student_5521\"", "\"student_" + i + "\"").getBytes(StandardCharsets.UTF_8),
                        null).statusCode()).isEqualTo(202);
                ids.add(id);
            }
            bridge.awaitDue(ids, "erp");
        }
        return ids;
    }

    /** Each of the payments posted as {@code ids} is delivered within {@code within}, and in the ERP once. */
    private void everyPaymentLandsOnce(BridgeInstance bridge, List<String> ids, Duration within) {
        await().atMost(within).until(() -> ids.stream()
                .allMatch(id -> "DELIVERED".equals(bridge.deliveryState(id, "erp"))));
        for (String id : ids) {
            assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_payment WHERE id = ? AND event_id = ?",
                    Integer.class, "pay_" + id, id)).isEqualTo(1);
        }
    }

    /** Connections to the ERP database waiting for a lock. */
    private int waitingOnLocks() {
        return RealDatabases.postgresLockWaits(erp, database);
    }

    /** Another program's connection to the ERP database. */
    private Connection erpConnection() throws SQLException {
        return DriverManager.getConnection(RealDatabases.postgresUrl(database), RealDatabases.POSTGRES_USER, "");
    }

    /**
     * Locks the table every record writes first, in a transaction kept open (as an accountant's report or a backup
     * would): the bridge's writes wait on the lock, PostgreSQL's default, without end.
     */
    private static void lockErpStudents(Connection other) throws SQLException {
        other.setAutoCommit(false);
        try (Statement lock = other.createStatement()) {
            lock.execute("LOCK TABLE erp_student IN ACCESS EXCLUSIVE MODE");
        }
    }

    /** A write unanswered after a second puts the ERP on hold, retried after one to two seconds. */
    private static void holdsSoon(Map<String, String> settings) {
        settings.put("bridge.delivery.slow-attempt", "1s");
        settings.put("bridge.delivery.retry.initial-backoff", "1s");
        settings.put("bridge.delivery.retry.max-backoff", "2s");
    }

    private static String postPayment(BridgeInstance bridge) {
        String id = Samples.freshId();
        assertThat(bridge.postWebhook(payment(id, "pay_" + id), null).statusCode()).isEqualTo(202);
        return id;
    }

    /** Jodo's direct payment sample as event {@code eventId} about payment {@code paymentId}. */
    private static byte[] payment(String eventId, String paymentId) {
        return Samples.ofPayment("direct.payment.added", eventId, paymentId).getBytes(StandardCharsets.UTF_8);
    }

    /** The example PostgreSQL statements into this test's database, as the only target. */
    private Map<String, String> erpDatabase() {
        return erpDatabase(RealDatabases.postgresUrl(database));
    }

    /** The same, reaching the database at {@code url}. */
    private Map<String, String> erpDatabase(String url) {
        return ErpTargets.soleTarget("jdbc", Map.of(
                "url", url,
                "username", RealDatabases.POSTGRES_USER,
                "statements", "routes/examples/jdbc/postgresql"));
    }
}
