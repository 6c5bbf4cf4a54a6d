package com.jodoerp.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpHttpServer;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.RealDatabases;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On PostgreSQL, the work a killed instance had claimed is taken up again soon after, not once its 5-minute lease
 * runs out, while a live instance's claims are left to it: each instance holds an advisory lock named by its claims'
 * holder tag, which PostgreSQL lets go with the session of a process that is gone.
 */
class ClaimsOfGoneInstancesTest {

    private static final int LOCKS = 0x4A4F444F;

    @TempDir
    Path dataDir;

    @Test
    void aGoneInstancesClaimsAreReleasedAndALiveOnesAreNot() throws Exception {
        String database = RealDatabases.createPostgresDatabase();
        try (ErpHttpServer erp = new ErpHttpServer()) {
            Map<String, String> settings = ErpTargets.soleTarget("rest", Map.of("url", erp.url()));
            settings.putAll(RealDatabases.postgresStore(database));
            // A refused attempt is tried again only after ten minutes: until then, only a released claim lets it go.
            settings.put("bridge.delivery.retry.initial-backoff", "10m");
            try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings);
                 Connection liveInstance = DriverManager.getConnection(RealDatabases.postgresUrl(database),
                         RealDatabases.POSTGRES_USER, "")) {
                erp.otherwise(ErpHttpServer.Answer.status(503, "{\"error\":\"maintenance\"}"));
                String gone = post(bridge);
                String live = post(bridge);
                await().atMost(Duration.ofSeconds(30)).until(() -> bridge.deliveryAttempts(gone, "erp") == 1
                        && bridge.deliveryAttempts(live, "erp") == 1);

                // As two other instances left them, each due now and claimed for another hour: one killed
                // mid-batch, the other alive and holding its lock (a tag past 7fffffff: negative as an int4 key).
                assertThat(lock(liveInstance, "fa0b0c0d")).isTrue();
                claim(bridge, gone, "deadbeef-0000-4000-8000-000000000001");
                claim(bridge, live, "fa0b0c0d-0000-4000-8000-000000000002");
                erp.otherwise(ErpHttpServer.Answer.status(201, "{\"ok\":true}"));

                await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(bridge.deliveryState(gone,
                        "erp")));
                assertThat(bridge.deliveryState(live, "erp")).isEqualTo("PENDING");
                assertThat(claimToken(bridge, live)).startsWith("fa0b0c0d");

                liveInstance.close(); // that instance is gone now too
                await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(bridge.deliveryState(live,
                        "erp")));
                assertThat(erp.requestsFor(live)).hasSize(2);
            }
        } finally {
            RealDatabases.dropPostgresDatabase(database);
        }
    }

    private static String post(BridgeInstance bridge) {
        String id = Samples.freshId();
        assertThat(bridge.postWebhook(Samples.withEventId("direct.payment.added", id), null).statusCode())
                .isEqualTo(202);
        return id;
    }

    private static boolean lock(Connection session, String holder) throws Exception {
        try (PreparedStatement call = session.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            call.setInt(1, LOCKS);
            call.setInt(2, (int) Long.parseLong(holder, 16));
            try (ResultSet answer = call.executeQuery()) {
                return answer.next() && answer.getBoolean(1);
            }
        }
    }

    private static void claim(BridgeInstance bridge, String eventId, String token) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        assertThat(bridge.jdbc().update("UPDATE delivery SET claim_token = ?, claimed_until = ?, next_attempt_at = ?"
                + " WHERE event_id = ? AND target = 'erp' AND state = 'PENDING'", token, now.plusHours(1), now,
                eventId)).isEqualTo(1);
    }

    private static String claimToken(BridgeInstance bridge, String eventId) {
        return bridge.jdbc().queryForObject("SELECT claim_token FROM delivery WHERE event_id = ? AND target = 'erp'",
                String.class, eventId);
    }
}
