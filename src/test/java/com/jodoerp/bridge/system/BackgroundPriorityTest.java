package com.jodoerp.bridge.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks first: once a webhook has been received, routed and delivered, every thread that did the background
 * part runs at Java's lowest priority, and the intake's at the normal one.
 */
class BackgroundPriorityTest {

    @TempDir
    Path dataDir;

    @Test
    void routingDeliveryAndUpkeepRunAtTheLowestPriorityTheIntakeAndClaimRenewalsAtTheNormalOne() {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of())) {
            String event = "flex.instalment.debited";
            byte[] sample = Samples.bytes(event);
            assertThat(bridge.postWebhook(sample, null).statusCode()).isEqualTo(202);
            Path delivered = dataDir.resolve("erp-outbox").resolve(Samples.familyOf(event))
                    .resolve(Samples.eventId(sample) + ".json");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(delivered));

            List<Thread> threads = List.copyOf(Thread.getAllStackTraces().keySet());
            // The outbox's delivery lane: its timer and its threads.
            for (String background : List.of(" - timer://dispatchQueue-*", " - dispatch",
                    " - timer://deliveryQueue-outbox", " - deliver-outbox")) {
                assertThat(threads).filteredOn(thread -> thread.getName().endsWith(background))
                        .as("threads named *%s", background).isNotEmpty()
                        .allSatisfy(thread -> assertThat(thread.getPriority()).isEqualTo(Thread.MIN_PRIORITY));
            }
            assertThat(threads).filteredOn(thread -> thread.getName().equals("store-compaction")).isNotEmpty()
                    .allSatisfy(thread -> assertThat(thread.getPriority()).isEqualTo(Thread.MIN_PRIORITY));
            for (String normal : List.of("intake-writer-", "claim-leases", "http-nio-")) {
                assertThat(threads).filteredOn(thread -> thread.getName().startsWith(normal))
                        .as("threads named %s*", normal).isNotEmpty()
                        .allSatisfy(thread -> assertThat(thread.getPriority()).isEqualTo(Thread.NORM_PRIORITY));
            }
        }
    }
}
