package com.jodoerp.bridge.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.jodoerp.bridge.support.PackagedBridge;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged bridge is stopped (SIGTERM) and started again on the same port while a client posts signed webhooks
 * without pause, from before the first start to after the last stop. Jodo must only ever see 202, 200, 503 with
 * Retry-After, or no connection: a 404 (routes not started yet) or a 500 counts as a failed delivery against the
 * school. Every event answered 202 is in the store afterwards.
 */
class RestartWithoutRefusalsIT {

    private static final String SECRET = UUID.randomUUID().toString();

    @TempDir
    Path dataDir;

    @Test
    void aRestartUnderLoadAnswersOnly2xx503OrNoConnection() throws Exception {
        int port = PackagedBridge.freePort();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        // The first answer of each status outside those expected, whole, for the failure message to say what it was.
        Map<Integer, String> unexpected = new ConcurrentHashMap<>();
        AtomicInteger noConnection = new AtomicInteger();
        AtomicInteger withoutRetryAfter = new AtomicInteger();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean sending = new AtomicBoolean(true);
        ExecutorService senders = Executors.newFixedThreadPool(4);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        for (int t = 0; t < 4; t++) {
            senders.submit(() -> {
                // Bounded: at most 20,000 requests per sender and 240 seconds, or until the test is done.
                for (int i = 0; i < 20_000 && sending.get() && System.nanoTime() < until; i++) {
                    String id = Samples.freshId();
                    try {
                        HttpResponse<String> answer = PackagedBridge.post(port, SECRET, id);
                        statuses.computeIfAbsent(answer.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                        if (!Set.of(200, 202, 503).contains(answer.statusCode())) {
                            unexpected.putIfAbsent(answer.statusCode(), answer.headers().map() + " " + answer.body());
                        }
                        if (answer.statusCode() == 202) {
                            acknowledged.add(id);
                        } else if (answer.statusCode() == 503 && answer.headers().firstValue("Retry-After").isEmpty()) {
                            withoutRetryAfter.incrementAndGet();
                        }
                    } catch (IOException notListening) {
                        noConnection.incrementAndGet();
                        TimeUnit.MILLISECONDS.sleep(5);
                    }
                }
                return null;
            });
        }
        try {
            for (int run = 1; run <= 2; run++) {
                int before = acknowledged.size();
                Process bridge = PackagedBridge.start(dataDir, port, SECRET);
                try {
                    PackagedBridge.awaitReady(port, bridge);
                    await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= before + 200);
                } finally {
                    bridge.destroy();
                    assertThat(bridge.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
                }
            }
        } finally {
            sending.set(false);
            senders.shutdown();
            assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(statuses.keySet()).as("answers seen: %s, %s without a connection; unexpected: %s", statuses,
                        noConnection, unexpected)
                .isSubsetOf(200, 202, 503);
        assertThat(withoutRetryAfter).hasValue(0);
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(400);
        assertThat(PackagedBridge.storedEventIds(dataDir)).containsAll(acknowledged);
    }
}
