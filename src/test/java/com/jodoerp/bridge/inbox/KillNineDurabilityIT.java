package com.jodoerp.bridge.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.jodoerp.bridge.support.Folders;
import com.jodoerp.bridge.support.Samples;
import com.jodoerp.bridge.support.Signing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged bridge, run as its own process on the embedded default, is killed with SIGKILL while signed
 * webhooks pour in. Every event it answered 202 must be known once it is started again (a copy is answered 200),
 * be in the H2 file, and reach the file target exactly once.
 */
class KillNineDurabilityIT {

    private static final String SECRET = "kill-nine-secret";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dataDir;

    @Test
    void everyAcknowledgedEventSurvivesAKillNine() throws Exception {
        int port = freePort();
        Process bridge = start(port);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try {
            awaitReady(port, bridge);
            ExecutorService senders = Executors.newFixedThreadPool(4);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (int t = 0; t < 4; t++) {
                senders.submit(() -> {
                    // Bounded: at most 5,000 requests per sender, for at most 20 seconds, or until the kill.
                    for (int i = 0; i < 5_000 && System.nanoTime() < until; i++) {
                        String id = Samples.freshId();
                        try {
                            if (post(port, id).statusCode() == 202) {
                                acknowledged.add(id);
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
            await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() >= 200);
            bridge.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            senders.shutdown();
            assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            bridge.destroyForcibly();
        }

        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(200);

        // Started again (replaying what the killed process journaled), the bridge knows every acknowledged event:
        // a copy of each is answered 200. It takes back what the killed process had claimed and delivers every
        // acknowledged event, each as exactly one file.
        int again = freePort();
        Process restarted = start(again);
        try {
            awaitReady(again, restarted);
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
        assertThat(storedEventIds()).containsAll(acknowledged);
    }

    private List<String> outboxFileNames() {
        return Folders.files(dataDir.resolve("erp-outbox")).stream().map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(".json") && !n.startsWith(".")).toList();
    }

    private Process start(int port) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx512m", "-jar", System.getProperty("bridge.jar")));
        builder.environment().put("BRIDGE_DATA_DIR", dataDir.toString());
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        builder.environment().put("JODO_WEBHOOK_SECRET", SECRET);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                dataDir.resolve("bridge.log").toFile()));
        return builder.start();
    }

    private static void awaitReady(int port, Process bridge) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(bridge.isAlive()).as("bridge process exited during start-up").isTrue();
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    private static HttpResponse<Void> post(int port, String id) throws IOException, InterruptedException {
        List<String> events = Samples.events();
        byte[] body = Samples.withEventId(events.get(Math.floorMod(id.hashCode(), events.size())), id);
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/jodo"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("X-Jodo-Signature", Signing.sign(SECRET, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
    }

    private Set<String> storedEventIds() throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection h2 = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("bridge"), "sa", "");
             Statement statement = h2.createStatement();
             ResultSet rows = statement.executeQuery("SELECT event_id FROM inbox_event")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
