package com.jodoerp.bridge.delivery;

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
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ERP that takes connections and does not answer (each attempt lasts its whole read timeout) beside the outbox:
 * the outbox's records are delivered as if the ERP were not there, the ERP's wait without a call saying why, and once
 * the ERP answers again every record reaches it, once.
 */
class HungTargetTest {

    @TempDir
    Path dataDir;

    @Test
    void aTargetThatDoesNotAnswerHoldsUpNoOtherTarget() throws Exception {
        try (ErpHttpServer erp = new ErpHttpServer()) {
            // Answers after 120 s, long past the 2 s read timeout: a hung ERP, as the bridge sees it.
            erp.otherwise(new ErpHttpServer.Answer(201, Duration.ofSeconds(120), "{}", null));
            Map<String, String> settings = ErpTargets.soleTarget("rest", Map.of("url", erp.url(), "read-timeout", "2s"));
            settings.put("bridge.targets.outbox.enabled", "true");
            settings.put("bridge.delivery.slow-attempt", "1s");
            settings.put("bridge.delivery.retry.initial-backoff", "2s");
            settings.put("bridge.delivery.retry.max-backoff", "4s");
            try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings)) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    String id = Samples.freshId();
                    ids.add(id);
                    assertThat(bridge.postWebhook(Samples.withEventId("direct.payment.added", id), null).statusCode())
                            .isEqualTo(202);
                }
                // Without the hold, each batch lasted as long as 60 attempts of 2 s on 8 workers (15 s and more).
                await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream()
                        .allMatch(id -> "DELIVERED".equals(bridge.deliveryState(id, "outbox"))));
                assertThat(ids).anySatisfy(id -> assertThat(lastError(bridge, id))
                        .contains("target 'erp' did not answer in time (an attempt failed after")
                        .contains("its deliveries wait without a call, so that other targets' go on"));
                assertThat(erp.requestsFor(ids.get(0)).size() + erp.requestsFor(ids.get(59)).size())
                        .as("held deliveries make no call").isLessThanOrEqualTo(4);

                erp.otherwise(ErpHttpServer.Answer.status(201, "{}"));
                await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream()
                        .allMatch(id -> "DELIVERED".equals(bridge.deliveryState(id, "erp"))));
                assertThat(ids).allSatisfy(id -> assertThat(erp.acceptedFor(id)).isEqualTo(1));
            }
        }
    }

    private static String lastError(BridgeInstance bridge, String eventId) {
        String error = bridge.jdbc().queryForObject("SELECT last_error FROM delivery WHERE event_id = ? AND target = ?",
                String.class, eventId, "erp");
        return error == null ? "" : error;
    }
}
