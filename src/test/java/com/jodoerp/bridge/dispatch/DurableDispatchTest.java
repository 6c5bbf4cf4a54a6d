package com.jodoerp.bridge.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Folders;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dispatch and delivery work from the store, not from memory: a restart or a failing target loses nothing. */
class DurableDispatchTest {

    @TempDir
    Path dataDir;

    @Test
    void eventsStoredButNotYetDispatchedAreDeliveredAfterARestart() {
        List<String> ids = new ArrayList<>();
        // An hour between dispatch runs: the first instance stores events and stops before dispatching any.
        try (BridgeInstance first = BridgeInstance.start(dataDir, Map.of("bridge.dispatch.poll-interval", "1h"))) {
            for (String event : List.of("masterdata.student.registered", "flex.instalment.settled", "cred.emi.debited")) {
                String id = Samples.freshId();
                ids.add(id);
                assertThat(first.postWebhook(Samples.withEventId(event, id), null).statusCode()).isEqualTo(202);
                assertThat(first.dispatchState(id)).isEqualTo("PENDING");
            }
        }
        try (BridgeInstance second = BridgeInstance.start(dataDir, Map.of())) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids)
                    .allSatisfy(id -> assertThat(outboxFiles(id)).hasSize(1)));
        }
    }

    @Test
    void aFailingTargetNeitherDelaysTheAnswerNorLosesTheRecord() throws Exception {
        Path blocked = dataDir.resolve("not-a-folder");
        Files.writeString(blocked, "a file where the outbox folder should be");
        String id = Samples.freshId();
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of(
                "bridge.delivery.retry.initial-backoff", "200ms",
                "bridge.delivery.retry.max-backoff", "400ms",
                "bridge.targets.outbox.options.directory", blocked.resolve("outbox").toString()))) {
            assertThat(bridge.postWebhook(Samples.withEventId("pay.payment.settled", id), null).statusCode())
                    .isEqualTo(202);

            await().atMost(Duration.ofSeconds(30)).until(() -> bridge.deliveryAttempts(id, "outbox") >= 2);
            Map<String, Object> failing = bridge.jdbc().queryForMap(
                    "SELECT state, last_error FROM delivery WHERE event_id = ?", id);
            assertThat(failing.get("STATE")).isEqualTo("PENDING");
            assertThat((String) failing.get("LAST_ERROR")).isNotBlank();

            // The folder becomes usable again: the next retry delivers.
            Files.delete(blocked);
            Files.createDirectories(blocked.resolve("outbox"));
            await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(bridge.jdbc().queryForObject(
                    "SELECT state FROM delivery WHERE event_id = ?", String.class, id)));
            assertThat(blocked.resolve("outbox").resolve("pay").resolve(id + ".json")).exists();
        }
    }


    private List<Path> outboxFiles(String id) {
        return Folders.files(dataDir.resolve("erp-outbox")).stream()
                .filter(p -> p.getFileName().toString().equals(id + ".json")).toList();
    }
}
