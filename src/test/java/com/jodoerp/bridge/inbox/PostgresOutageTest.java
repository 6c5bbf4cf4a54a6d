package com.jodoerp.bridge.inbox;

import static com.jodoerp.bridge.support.Answers.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.RealDatabases;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The production database goes away and comes back: 503 with Retry-After meanwhile, nothing lost after, and the
 * outage told in the bridge's own words, without a stack trace for each connection and rollback it broke.
 */
@ExtendWith(OutputCaptureExtension.class)
class PostgresOutageTest {

    private static final String SECRET = "outage-secret";

    @TempDir
    Path dataDir;

    @Test
    void anUnreachableDatabaseGives503WithRetryAfterAndTheBridgeRecovers(CapturedOutput output) {
        String database = RealDatabases.createPostgresDatabase();
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of(
                "spring.datasource.url", RealDatabases.postgresUrl(database),
                "spring.datasource.username", RealDatabases.POSTGRES_USER,
                "spring.datasource.password", "",
                "bridge.webhook.secret", SECRET,
                "bridge.webhook.retry-after", "45s",
                "bridge.admin.username", "ops",
                "bridge.admin.password", "ops-password-1"))) {
            String id = Samples.freshId();
            byte[] body = Samples.envelope(id, "pay.payment.settled", "{}");

            RealDatabases.postgresAdmin("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
            HttpResponse<String> down;
            try {
                RealDatabases.postgresAdmin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                        + database + "'");
                down = bridge.postWebhook(body, SECRET);
            } finally {
                RealDatabases.postgresAdmin("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
            }
            assertRefused(down, 503, "store_unavailable");
            assertThat(down.headers().firstValue("Retry-After")).hasValue("45");
            assertThat(Samples.tree(bridge.admin("GET", "/actuator/health", "ops", "ops-password-1", null).body())
                    .at("/components/store/status").asText()).isEqualTo("DOWN");

            // Pooled connections the server dropped may fail once each (503, which Jodo retries) before the
            // pool has renewed them; Jodo's retry must then be accepted and stored exactly once.
            await().atMost(Duration.ofSeconds(30)).until(() -> bridge.postWebhook(body, SECRET).statusCode() == 202);
            assertThat(bridge.inboxRows(id)).isEqualTo(1);
            assertThat(bridge.postWebhook(body, SECRET).statusCode()).isEqualTo(200);
            assertThat(Samples.tree(bridge.admin("GET", "/actuator/health", "ops", "ops-password-1", null).body())
                    .at("/components/store/status").asText()).isEqualTo("UP");
            assertThat(output.getAll()).contains("Cannot store webhooks, answering 503 until the database is back");
            assertThat(output.getAll().lines().filter(line -> line.startsWith("\tat ")).limit(5))
                    .as("stack frames in the log").isEmpty();
            for (String told : List.of("dispatch-stored-events waits until", "advisory lock was lost",
                    "Could not look for claims")) {
                assertThat(output.getAll().lines().filter(line -> line.contains(told)))
                        .as("the outage told once a minute, not at each poll").hasSizeLessThanOrEqualTo(1);
            }
        } finally {
            RealDatabases.dropPostgresDatabase(database);
        }
    }
}
