package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpHttpServer;
import com.jodoerp.bridge.support.ErpHttpServer.Answer;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ERP that answers every call, but slowly (each within {@code bridge.delivery.slow-attempt}, so it is never put on
 * hold), beside the outbox: the outbox's records are delivered at the outbox's pace, not the ERP's, and every record
 * still reaches the ERP once. A target's own {@code threads} bound its calls at once, whatever the others have.
 */
class SlowTargetTest {

    @TempDir
    Path dataDir;

    @Test
    void aTargetSlowAtEveryCallSlowsOnlyItsOwnRecords() throws Exception {
        try (ErpHttpServer erp = new ErpHttpServer()) {
            erp.otherwise(new Answer(201, Duration.ofSeconds(3), "{}", null));
            Map<String, String> settings = ErpTargets.soleTarget("rest", Map.of("url", erp.url(),
                    "read-timeout", "30s"));
            settings.put("bridge.targets.outbox.enabled", "true");
            settings.put("bridge.delivery.slow-attempt", "20s");
            try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings)) {
                List<String> ids = bridge.postEach(40, id -> Samples.withEventId("direct.payment.added", id));
                // The ERP takes 40 calls of 3 s on 8 threads, 15 s; in batches shared with it, so did the outbox.
                await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream()
                        .allMatch(id -> "DELIVERED".equals(bridge.deliveryState(id, "outbox"))));
                assertThat(ids).as("records the ERP had not yet taken when the outbox had all")
                        .anySatisfy(id -> assertThat(bridge.deliveryState(id, "erp")).isEqualTo("PENDING"));

                await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream()
                        .allMatch(id -> "DELIVERED".equals(bridge.deliveryState(id, "erp"))));
                assertThat(ids).allSatisfy(id -> assertThat(erp.acceptedFor(id)).isEqualTo(1));
                assertThat(bridge.jdbc().queryForObject(
                        "SELECT COUNT(*) FROM delivery_attempt WHERE target = 'erp' AND outcome <> 'DELIVERED'",
                        Integer.class)).as("the slow ERP's failed attempts").isZero();
            }
        }
    }

    @Test
    void aTargetsOwnThreadsBoundItsCallsAtOnce() throws Exception {
        try (ErpHttpServer oneAtATime = new ErpHttpServer(); ErpHttpServer several = new ErpHttpServer()) {
            Answer slowly = new Answer(201, Duration.ofMillis(200), "{}", null);
            oneAtATime.otherwise(slowly);
            several.otherwise(slowly);
            Map<String, String> settings = ErpTargets.soleTarget("rest", Map.of("url", oneAtATime.url()));
            settings.put("bridge.targets.erp.threads", "1");
            settings.put("bridge.targets.erp-b.transport", "rest");
            settings.put("bridge.targets.erp-b.families", "*");
            settings.put("bridge.targets.erp-b.options.url", several.url());
            try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings)) {
                List<String> ids = bridge.postEach(12, id -> Samples.withEventId("direct.payment.added", id));
                await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id ->
                        "DELIVERED".equals(bridge.deliveryState(id, "erp"))
                                && "DELIVERED".equals(bridge.deliveryState(id, "erp-b"))));
                assertThat(oneAtATime.mostAtOnce()).as("calls at once to the target with one thread").isEqualTo(1);
                assertThat(several.mostAtOnce()).as("calls at once to the target with the default threads")
                        .isGreaterThan(1);
                assertThat(ids).allSatisfy(id -> assertThat(oneAtATime.acceptedFor(id)).isEqualTo(1));
            }
        }
    }
}
