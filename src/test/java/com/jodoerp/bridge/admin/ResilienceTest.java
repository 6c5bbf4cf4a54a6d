package com.jodoerp.bridge.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpHttpServer;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.ErpHttpServer.Answer;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ERP down for a while, and a bridge restarted while it waits to retry: nothing lost, nothing doubled. */
class ResilienceTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    private Map<String, String> settings(ErpHttpServer erp) {
        Map<String, String> settings = ErpTargets.soleTarget("rest", Map.of("url", erp.url()));
        settings.put("bridge.delivery.retry.initial-backoff", "200ms");
        settings.put("bridge.delivery.retry.max-backoff", "1s");
        return settings;
    }

    @Test
    void everyEventReachesAnErpThatWasDownOnceItIsBack() throws Exception {
        try (ErpHttpServer erp = new ErpHttpServer(); BridgeInstance bridge = BridgeInstance.start(dataDir, settings(erp))) {
            erp.otherwise(Answer.status(503, "{\"error\":\"down for maintenance\"}"));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String id = Samples.freshId();
                ids.add(id);
                String event = Samples.events().get(i % Samples.events().size());
                assertThat(bridge.postWebhook(Samples.withEventId(event, id), null).statusCode()).isEqualTo(202);
            }
            await().atMost(WITHIN).until(() -> ids.stream().allMatch(id -> bridge.deliveryAttempts(id, "erp") >= 2));

            erp.otherwise(Answer.status(200, "{}"));
            await().atMost(WITHIN).until(() -> ids.stream().allMatch(id -> "DELIVERED".equals(
                    bridge.deliveryState(id, "erp"))));
            assertThat(ids).allSatisfy(id -> assertThat(erp.acceptedFor(id)).isEqualTo(1));
            // Every request the ERP saw was an attempt the bridge counted: the HTTP client retries nothing itself.
            assertThat(ids).allSatisfy(id -> assertThat(erp.requestsFor(id)).hasSize(bridge.deliveryAttempts(id, "erp")));
        }
    }

    @Test
    void aRetryWaitingWhenTheBridgeStopsStillHappensAfterItStarts() throws Exception {
        try (ErpHttpServer erp = new ErpHttpServer()) {
            String id = Samples.freshId();
            Map<String, String> settings = settings(erp);
            // A long wait: the retry is due only after the restart.
            settings.put("bridge.delivery.retry.initial-backoff", "3s");
            settings.put("bridge.delivery.retry.max-backoff", "3s");
            erp.script(id, Answer.status(500, "{}"));
            try (BridgeInstance first = BridgeInstance.start(dataDir, settings)) {
                assertThat(first.postWebhook(Samples.withEventId("flex.instalment.settled", id), null).statusCode())
                        .isEqualTo(202);
                await().atMost(WITHIN).until(() -> first.deliveryAttempts(id, "erp") == 1);
            }
            try (BridgeInstance second = BridgeInstance.start(dataDir, settings)) {
                await().atMost(WITHIN).until(() -> "DELIVERED".equals(second.deliveryState(id, "erp")));
                assertThat(second.deliveryAttempts(id, "erp")).isEqualTo(2);
                assertThat(erp.acceptedFor(id)).isEqualTo(1);
            }
        }
    }

    @Test
    void withoutAnAdminLoginAdminRefusesAndSaysWhy() {
        try (ErpHttpServer erp = new ErpHttpServer(); BridgeInstance bridge = BridgeInstance.start(dataDir, settings(erp))) {
            var answer = bridge.admin("GET", "/admin/dead-letters", "anyone", "any-password", null);
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(Samples.tree(answer.body()).path("error").asText()).isEqualTo("admin_disabled");
            assertThat(Samples.tree(answer.body()).path("message").asText()).contains("BRIDGE_ADMIN_USER");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
