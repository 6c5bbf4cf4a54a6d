package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.RealDatabases;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The school's database is unreachable for a while: every event still lands in it, once, when it is back. */
class JdbcErpOutageTest {

    @TempDir
    Path dataDir;

    @Test
    void anUnreachableErpDatabaseGetsEverythingOnceWhenItIsBack() throws Exception {
        String database = RealDatabases.createPostgresDatabase();
        try {
            JdbcTemplate erp = new JdbcTemplate(new DriverManagerDataSource(RealDatabases.postgresUrl(database),
                    RealDatabases.POSTGRES_USER, ""));
            ErpTargets.createSchema(erp, "postgresql");
            Map<String, String> settings = ErpTargets.soleTarget("jdbc", Map.of(
                    "url", RealDatabases.postgresUrl(database),
                    "username", RealDatabases.POSTGRES_USER,
                    "statements", "routes/examples/jdbc/postgresql"));
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
                        String body = new String(Samples.withEventId("direct.payment.added", id))
                                .replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": \"" + payment + "\"");
                        assertThat(bridge.postWebhook(body.getBytes(), null).statusCode()).isEqualTo(202);
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
        } finally {
            RealDatabases.dropPostgresDatabase(database);
        }
    }
}
