package com.jodoerp.bridge.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.jodoerp.bridge.support.Folders;
import com.jodoerp.bridge.support.PackagedBridge;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged bridge, run as its own process on the embedded default, is killed with SIGKILL while signed
 * webhooks pour in. Every event it answered 202 must be known once it is started again (a copy is answered 200),
 * be in the H2 file, and reach the file target exactly once. Half the senders post bodies near the 1 MB limit:
 * with its shipped launch settings (config/jvm.options, a 192 MB heap), tens of them stopped the bridge for want
 * of memory, in the store, in the replay of its journal after the kill, or while delivering them after it.
 */
class KillNineDurabilityIT {

    private static final String SECRET = "kill-nine-secret";
    private static final int LARGE = 1_000_000;

    @TempDir
    Path dataDir;

    @Test
    void everyAcknowledgedEventSurvivesAKillNine() throws Exception {
        int port = PackagedBridge.freePort();
        Process bridge = start(port);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> large = ConcurrentHashMap.newKeySet();
        try {
            PackagedBridge.awaitReady(port, bridge);
            ExecutorService senders = Executors.newFixedThreadPool(4);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (int t = 0; t < 4; t++) {
                boolean sendsLarge = t % 2 == 1;
                senders.submit(() -> {
                    // Bounded: at most 5,000 requests per sender, for at most 20 seconds, or until the kill.
                    for (int i = 0; i < 5_000 && System.nanoTime() < until; i++) {
                        String id = Samples.freshId();
                        try {
                            if ((sendsLarge ? PackagedBridge.postLarge(port, SECRET, id, LARGE) : post(port, id))
                                    .statusCode() == 202) {
                                acknowledged.add(id);
                                if (sendsLarge) {
                                    large.add(id);
                                }
                            }
                        } catch (IOException refused) {
                            return null;
                        }
                    }
                    return null;
                });
            }
            // Kill while the senders are still sending, not after a quiet moment. A just-started JVM on a busy
            // machine may take seconds to answer its first 200, hence the generous window.
            await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() >= 200 && large.size() >= 80);
            bridge.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            senders.shutdown();
            assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            bridge.destroyForcibly();
        }

        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(200);
        assertThat(large).hasSizeGreaterThanOrEqualTo(80);

        // Started again (replaying what the killed process journaled), the bridge knows every acknowledged event:
        // a copy of each is answered 200. It takes back what the killed process had claimed and delivers every
        // acknowledged event, each as exactly one file.
        int again = PackagedBridge.freePort();
        Process restarted = start(again);
        try {
            PackagedBridge.awaitReady(again, restarted);
            for (String id : acknowledged) {
                assertThat(post(again, id).statusCode()).as("a copy of acknowledged event %s", id).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                    assertThat(outboxFileNames()).containsAll(acknowledged.stream().map(id -> id + ".json").toList()));
            List<String> names = outboxFileNames();
            assertThat(names).doesNotHaveDuplicates();
        } finally {
            restarted.destroy();
            assertThat(restarted.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(PackagedBridge.storedEventIds(dataDir)).containsAll(acknowledged);
    }

    private List<String> outboxFileNames() {
        return Folders.files(dataDir.resolve("erp-outbox")).stream().map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(".json") && !n.startsWith(".")).toList();
    }

    private Process start(int port) throws IOException {
        return PackagedBridge.start(dataDir, port, SECRET);
    }

    private static HttpResponse<String> post(int port, String id) throws IOException, InterruptedException {
        return PackagedBridge.post(port, SECRET, id);
    }
}
