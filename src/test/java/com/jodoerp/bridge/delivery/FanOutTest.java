package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One family to two targets: each has its own delivery state, so a failing one neither blocks nor repeats the other. */
class FanOutTest {

    @TempDir
    Path dataDir;

    @Test
    void aFailingTargetLeavesTheOtherDeliveredOnce() {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of(
                "bridge.delivery.retry.initial-backoff", "100ms",
                "bridge.delivery.retry.max-backoff", "200ms",
                "bridge.targets.outbox.options.format", "csv",
                "bridge.targets.down.transport", "rest",
                "bridge.targets.down.families", "flex",
                // Nothing listens on port 9 here: every attempt fails.
                "bridge.targets.down.options.url", "http://127.0.0.1:9",
                "bridge.targets.down.options.connect-timeout", "200ms"))) {
            String id = Samples.freshId();
            assertThat(bridge.postWebhook(Samples.withEventId("flex.instalment.debited", id), null).statusCode())
                    .isEqualTo(202);

            await().atMost(Duration.ofSeconds(30)).until(() -> bridge.deliveryAttempts(id, "down") >= 3);
            assertThat(bridge.deliveryState(id, "outbox")).isEqualTo("DELIVERED");
            assertThat(bridge.deliveryAttempts(id, "outbox")).isEqualTo(1);
            assertThat(bridge.deliveryState(id, "down")).isEqualTo("PENDING");
            Path csv = dataDir.resolve("erp-outbox").resolve("flex").resolve(id + ".csv");
            assertThat(csv).exists();
            assertThat(Files.readAllLines(csv)).hasSize(3).first().asString().startsWith("event_id,event,");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }


}
