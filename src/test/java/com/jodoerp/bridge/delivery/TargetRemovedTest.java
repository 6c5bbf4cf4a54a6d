package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpHttpServer;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target taken out of the settings while records wait for it (or missing on one instance of a rolling deploy):
 * its records are kept and retried with a reason an operator understands, other targets go on, and once the target
 * is back they are delivered, once.
 */
class TargetRemovedTest {

    @TempDir
    Path dataDir;

    @Test
    void recordsForATargetNoLongerConfiguredWaitSayingSoAndAreDeliveredWhenItIsBack() throws Exception {
        String id = Samples.freshId();
        try (ErpHttpServer erp = new ErpHttpServer()) {
            erp.otherwise(ErpHttpServer.Answer.status(503, "down for maintenance"));
            Map<String, String> settings = ErpTargets.soleTarget("rest", Map.of("url", erp.url()));
            settings.put("bridge.delivery.retry.initial-backoff", "200ms");
            settings.put("bridge.delivery.retry.max-backoff", "500ms");
            settings.put("bridge.targets.outbox.enabled", "true");
            settings.put("bridge.admin.username", "ops");
            settings.put("bridge.admin.password", "removed-target-ops");
            try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings)) {
                assertThat(bridge.postWebhook(Samples.withEventId("direct.payment.added", id), null).statusCode())
                        .isEqualTo(202);
                await().atMost(Duration.ofSeconds(30)).until(() -> bridge.deliveryAttempts(id, "erp") >= 1);
            }

            Map<String, String> withoutErp = new HashMap<>(settings);
            withoutErp.keySet().removeIf(key -> key.startsWith("bridge.targets.erp."));
            try (BridgeInstance bridge = BridgeInstance.start(dataDir, withoutErp)) {
                String other = Samples.freshId();
                assertThat(bridge.postWebhook(Samples.withEventId("direct.payment.added", other), null).statusCode())
                        .isEqualTo(202);
                await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(bridge.deliveryState(other,
                        "outbox")) && lastError(bridge, id).startsWith("TransientDeliveryException: target 'erp'"));
                assertThat(lastError(bridge, id)).contains("target 'erp' is not configured on this instance"
                        + " (bridge.targets.erp): retried until an instance with it delivers it");
                assertThat(bridge.deliveryState(id, "erp")).isEqualTo("PENDING");
                // Operators can still find what waits for it.
                HttpResponse<String> waiting = bridge.admin("GET", "/admin/events?target=erp", "ops",
                        "removed-target-ops", null);
                assertThat(waiting.statusCode()).isEqualTo(200);
                assertThat(waiting.body()).contains(id);
            }

            erp.otherwise(ErpHttpServer.Answer.status(201, "{}"));
            try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "erp")));
                assertThat(erp.acceptedFor(id)).isEqualTo(1);
            }
        }
    }

    private static String lastError(BridgeInstance bridge, String eventId) {
        String error = bridge.jdbc().queryForObject("SELECT last_error FROM delivery WHERE event_id = ? AND target = ?",
                String.class, eventId, "erp");
        return error == null ? "" : error;
    }
}
