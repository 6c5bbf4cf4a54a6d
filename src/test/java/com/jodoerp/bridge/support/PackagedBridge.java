package com.jodoerp.bridge.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The packaged jar run as its own process on the embedded default, as a user runs it: for the tests that kill,
 * stop and restart it. Its output goes to {@code bridge.log} in its data folder.
 */
public final class PackagedBridge {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PackagedBridge() {
    }

    public static Process start(Path dataDir, int port, String secret) throws IOException {
        return start(dataDir, port, Map.of("JODO_WEBHOOK_SECRET", secret));
    }

    /** Starts the jar with {@code environment} added to the usual data folder and port. */
    public static Process start(Path dataDir, int port, Map<String, String> environment) throws IOException {
        return start(Path.of("").toAbsolutePath(), dataDir, port, environment);
    }

    /** Starts the jar as if launched from {@code workingDir}, which need not hold routes/ or config/. */
    public static Process start(Path workingDir, Path dataDir, int port, Map<String, String> environment)
            throws IOException {
        return start(List.of(), workingDir, dataDir, port, environment);
    }

    /**
     * Starts the jar with no file it writes allowed past {@code maxFileBytes} (the shell's {@code ulimit -f}, through
     * util-linux's prlimit): a write beyond fails as on a full disk, and only the file that grows that large is hit.
     */
    public static Process startWithFileSizeLimit(Path dataDir, int port, String secret, long maxFileBytes)
            throws IOException {
        return start(List.of("prlimit", "--fsize=" + maxFileBytes, "--"), Path.of("").toAbsolutePath(), dataDir, port,
                Map.of("JODO_WEBHOOK_SECRET", secret));
    }

    private static Process start(List<String> launcher, Path workingDir, Path dataDir, int port,
                                 Map<String, String> environment) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(launcher);
        // The shipped launch settings, as README, the image and the systemd unit start the bridge.
        command.addAll(List.of(java, "@" + Path.of("config/jvm.options").toAbsolutePath(), "-jar",
                System.getProperty("bridge.jar")));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.directory(workingDir.toFile());
        Files.createDirectories(dataDir);
        builder.environment().put("BRIDGE_DATA_DIR", dataDir.toString());
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                dataDir.resolve("bridge.log").toFile()));
        return builder.start();
    }

    /**
     * The JVM options config/jvm.options ships, which a bridge started with them names in its log at start
     * ("JVM: heap limit ..., options: ...").
     */
    public static List<String> shippedJvmOptions() throws IOException {
        return Files.readAllLines(Path.of("config/jvm.options")).stream().map(String::trim)
                .filter(line -> line.startsWith("-X")).toList();
    }

    public static void awaitReady(int port, Process bridge) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(bridge.isAlive()).as("bridge process exited during start-up").isTrue();
            return healthStatus(port) == 200;
        });
    }

    /** The status of {@code GET /actuator/health} on {@code port}; 0 while nothing listens there yet. */
    public static int healthStatus(int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notListening) {
            return 0;
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Posts a sample event (chosen by the id) under {@code id}, signed; an IOException when nobody answers. */
    public static HttpResponse<String> post(int port, String secret, String id) throws IOException, InterruptedException {
        return post(port, "/webhooks/jodo", secret, id);
    }

    /** {@link #post(int, String, String)} to a webhook path of the bridge's settings. */
    public static HttpResponse<String> post(int port, String path, String secret, String id)
            throws IOException, InterruptedException {
        List<String> events = Samples.events();
        String event = events.get(Math.floorMod(id.hashCode(), events.size()));
        return send(port, path, secret, Samples.withEventId(event, id));
    }

    /** Posts, signed, {@link Samples#large} under {@code id}: a webhook of {@code size} bytes. */
    public static HttpResponse<String> postLarge(int port, String secret, String id, int size)
            throws IOException, InterruptedException {
        return send(port, "/webhooks/jodo", secret, Samples.large(id, size));
    }

    /** Posts {@code body} to the webhook path, signed with {@code secret}. */
    public static HttpResponse<String> postBody(int port, String secret, byte[] body)
            throws IOException, InterruptedException {
        return send(port, "/webhooks/jodo", secret, body);
    }

    private static HttpResponse<String> send(int port, String path, String secret, byte[] body)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("X-Jodo-Signature", Signing.sign(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The event ids in the H2 file of a bridge that is no longer running. */
    public static Set<String> storedEventIds(Path dataDir) throws Exception {
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

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
