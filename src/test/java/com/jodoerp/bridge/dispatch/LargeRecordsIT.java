package com.jodoerp.bridge.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.support.Folders;
import com.jodoerp.bridge.support.PackagedBridge;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks near the intake's 1 MB limit whose size is in what the canonical record carries (a payment's free-text
 * notes), ninety of them, through the packaged jar with the shipped launch settings (a 192 MB heap): every one is
 * delivered, their day is reconciled, and the bridge stays up. A batch used to hold all such records due at once
 * (dispatch's outcomes, a delivery claim reading them with their rows, the reconciliation reading a day's 500 at a
 * time): 300 filled the heap, and again at every restart or report of their day; the 90 here did too, within
 * seconds, which the wait below reports at once rather than after its four minutes.
 */
class LargeRecordsIT {

    private static final int WEBHOOKS = 90;
    private static final int SIZE = 900_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dataDir;

    @Test
    void hundredsOfRecordsNearTheLimitAreAllDeliveredWithinTheShippedHeap() throws Exception {
        String secret = UUID.randomUUID().toString();
        String password = UUID.randomUUID().toString();
        int port = PackagedBridge.freePort();
        Process bridge = PackagedBridge.start(dataDir, port, Map.of("JODO_WEBHOOK_SECRET", secret,
                "BRIDGE_ADMIN_USER", "ops", "BRIDGE_ADMIN_PASSWORD", password));
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        try {
            PackagedBridge.awaitReady(port, bridge);
            ExecutorService senders = Executors.newFixedThreadPool(8);
            for (int i = 0; i < WEBHOOKS; i++) {
                String id = Samples.freshId();
                byte[] body = Samples.largeNotes(id, "pay_large_" + i, SIZE);
                senders.submit(() -> {
                    if (PackagedBridge.postBody(port, secret, body).statusCode() == 202) {
                        accepted.add(id);
                    }
                    return null;
                });
            }
            senders.shutdown();
            assertThat(senders.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
            assertThat(accepted).hasSize(WEBHOOKS);

            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1))
                    .failFast("the bridge stopped (its log: " + dataDir.resolve("bridge.log") + ")",
                            () -> !bridge.isAlive())
                    .untilAsserted(() -> assertThat(outboxFiles()).hasSize(WEBHOOKS));
            assertThat(outboxFiles()).allSatisfy(file -> assertThat(Files.size(file)).isGreaterThan(SIZE - 10_000));

            // The samples' money was paid on 2024-06-01 (the school's day): each payment's two fee components.
            HttpResponse<String> day = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/admin/reconciliation?date=2024-06-01"))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            ("ops:" + password).getBytes(StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(day.statusCode()).isEqualTo(200);
            JsonNode outbox = Samples.tree(day.body()).path("targets").get(0);
            assertThat(outbox.path("paymentsByFeeComponent").findValuesAsText("count")).containsOnly(
                    String.valueOf(WEBHOOKS));
            assertThat(bridge.isAlive()).isTrue();
        } finally {
            bridge.destroy();
            assertThat(bridge.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(dataDir.resolve("bridge.log"))).doesNotContain("OutOfMemoryError: Java heap");
    }

    private List<Path> outboxFiles() {
        return Folders.files(dataDir.resolve("erp-outbox")).stream()
                .filter(file -> file.getFileName().toString().endsWith(".json")
                        && !file.getFileName().toString().startsWith("."))
                .toList();
    }
}
