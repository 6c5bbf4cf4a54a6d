package com.jodoerp.bridge.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.RealDatabases;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A school upgrades with deliveries still to make: their canonical records were stored by the release before, which
 * wrote neither a payment's precedence nor the event's version, and kept no ledger. Started on that store, this bridge
 * makes the records again (V17) before delivering them: every payment lands in the example ERP tables of MariaDB,
 * none a dead letter (each was, with status_rank null), and the ledger the reconciliation reads has them.
 */
class UpgradedStoreTest {

    private static final LocalDate PAID = LocalDate.of(2026, 11, 20);

    @TempDir
    Path dataDir;

    private String erpDatabase;
    private String storeDatabase;
    private JdbcTemplate erp;

    @BeforeEach
    void createErpDatabase() {
        erpDatabase = RealDatabases.createMariaDbDatabase();
        erp = new JdbcTemplate(new DriverManagerDataSource(RealDatabases.mariaDbUrl(erpDatabase), "root", ""));
        ErpTargets.createSchema(erp, "mysql");
    }

    @AfterEach
    void dropDatabases() {
        RealDatabases.dropMariaDbDatabase(erpDatabase);
        if (storeDatabase != null) {
            RealDatabases.dropPostgresDatabase(storeDatabase);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void recordsStoredByTheReleaseBeforeAreMadeAgainAndLand(String store) throws Exception {
        Map<String, String> settings = settings(store);
        List<String> payments = storeOfTheReleaseBefore(settings, 3, jdbc -> { });

        try (BridgeInstance after = BridgeInstance.start(dataDir, settings)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> after.jdbc().queryForObject(
                    "SELECT COUNT(*) FROM delivery WHERE state = 'PENDING'", Integer.class) == 0);
            assertThat(after.jdbc().queryForList("SELECT state FROM delivery", String.class)).containsOnly("DELIVERED");
            assertThat(erp.queryForList("SELECT status_rank FROM erp_payment WHERE id LIKE 'pay_up_%'", Integer.class))
                    .hasSize(payments.size()).containsOnly(1);
            assertThat(records(after.jdbc())).allSatisfy(record ->
                    assertThat(Samples.tree(record).path("version").asText()).isEqualTo("1.0"));
            assertThat(after.jdbc().queryForList("SELECT payment_id FROM payment_ledger", String.class))
                    .containsExactlyInAnyOrderElementsOf(payments);
        }
    }

    /** An event this mapping would not route is left as the release before stored it, and the upgrade goes on. */
    @Test
    void aRecordThisMappingRefusesIsKeptAsItWasAndTheBridgeStarts() throws Exception {
        Map<String, String> settings = settings("h2");
        // A negative amount, which this mapping refuses, in place of one event's body.
        byte[] refused = Samples.ofPayment("direct.payment.added", "refused", "pay_refused").replace("5000.0", "-1")
                .getBytes(StandardCharsets.UTF_8);
        storeOfTheReleaseBefore(settings, 2, jdbc -> jdbc.update("UPDATE inbox_event SET raw_body = ?"
                + " WHERE event_id = (SELECT MIN(event_id) FROM inbox_event)", (Object) refused));

        try (BridgeInstance after = BridgeInstance.start(dataDir, settings)) {
            assertThat(records(after.jdbc())).hasSize(2)
                    .filteredOn(record -> Samples.tree(record).has("version")).hasSize(1);
        }
    }

    private Map<String, String> settings(String store) {
        Map<String, String> settings = new HashMap<>(ErpTargets.soleTarget("jdbc", Map.of(
                "url", RealDatabases.mariaDbUrl(erpDatabase),
                "username", "root",
                "statements", "routes/examples/jdbc/mysql")));
        if (store.equals("postgresql")) {
            storeDatabase = RealDatabases.createPostgresDatabase();
            settings.putAll(RealDatabases.postgresStore(storeDatabase));
        }
        return settings;
    }

    /**
     * Payments taken and routed, then left as the release before would have left them (see below, and {@code change}
     * besides), their deliveries still to make; returns their payment ids.
     */
    private List<String> storeOfTheReleaseBefore(Map<String, String> settings, int count,
                                                 Consumer<JdbcTemplate> change) {
        List<String> payments = new ArrayList<>();
        try (BridgeInstance before = BridgeInstance.start(dataDir, settings)) {
            // Held until this bridge stops.
            before.holdDelivery();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = Samples.freshId();
                payments.add("pay_up_" + i);
                byte[] body = Samples.ofPaymentOn("direct.payment.added", id, "pay_up_" + i, PAID)
                        .getBytes(StandardCharsets.UTF_8);
                assertThat(before.postWebhook(body, null).statusCode()).isEqualTo(202);
                ids.add(id);
            }
            before.awaitDue(ids, "erp");
            asTheReleaseBeforeLeftIt(before.jdbc());
            change.accept(before.jdbc());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return payments;
    }

    private static List<String> records(JdbcTemplate store) {
        return store.queryForList("SELECT CAST(canonical_record AS VARCHAR) FROM inbox_event", String.class);
    }

    /**
     * The store as the release before left it: records without what the mapping has added since, no ledger, and
     * this release's migration of the records not yet run.
     */
    private static void asTheReleaseBeforeLeftIt(JdbcTemplate store) {
        for (Map<String, Object> row : store.queryForList(
                "SELECT event_id, CAST(canonical_record AS VARCHAR) AS canonical_record FROM inbox_event")) {
            ObjectNode record = (ObjectNode) Samples.tree((String) row.get("canonical_record"));
            record.remove("version");
            ((ObjectNode) record.path("payment")).remove("precedence");
            store.update("UPDATE inbox_event SET canonical_record = ? WHERE event_id = ?", record.toString(),
                    row.get("event_id"));
        }
        store.update("DELETE FROM payment_ledger");
        store.update("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '17'");
    }
}
