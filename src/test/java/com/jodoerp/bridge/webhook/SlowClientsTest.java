package com.jodoerp.bridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Samples;
import com.jodoerp.bridge.support.Signing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and idle clients cannot starve the intake: 250 connections announce a body of 1,000 bytes and then send it
 * a byte a second (more connections than Tomcat has threads), and valid signed webhooks sent meanwhile are all
 * answered; every slow connection is answered 408 once its body has not arrived in time.
 */
class SlowClientsTest {

    private static final String SECRET = "slow-clients-secret";
    private static final String IN_FLIGHT = "bridge_webhook_bodies_in_flight_bytes";
    private static final int SLOW = 250;

    @TempDir
    Path dataDir;

    @Test
    void slowBodiesHoldNoThreadAndEndIn408() throws Exception {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of(
                "bridge.webhook.secret", SECRET,
                "bridge.webhook.body-timeout", "4s"))) {
            List<Socket> slow = new ArrayList<>();
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            try {
                for (int i = 0; i < SLOW; i++) {
                    Socket socket = startBody(bridge, "POST /webhooks/jodo", "application/json", "{");
                    socket.setSoTimeout(15_000);
                    slow.add(socket);
                }
                // One more byte a second on every slow connection, for at most ten seconds.
                trickle(trickle, slow, ' ');

                for (int i = 0; i < 20; i++) {
                    String id = Samples.freshId();
                    HttpResponse<String> answer = bridge.postWebhook(Samples.withEventId("flex.instalment.debited", id),
                            SECRET);
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
                }

                int timedOut = 0;
                for (Socket socket : slow) {
                    if (statusLine(socket).startsWith("HTTP/1.1 408")) {
                        timedOut++;
                    }
                }
                assertThat(timedOut).isEqualTo(SLOW);
                assertThat(bridge.inboxRows()).isEqualTo(20);
            } finally {
                trickle.shutdownNow();
                for (Socket socket : slow) {
                    socket.close();
                }
            }
        }
    }

    /**
     * Bodies sent slowly to the sign-in form or with a PUT to the webhook URL (no login needed) are read on the web
     * server's threads: at most OtherBodiesGate.AT_ONCE at a time, the rest answered 503 at once, so webhooks keep
     * being answered. Without the gate, these 250 held every thread, and the webhooks below waited until the slow
     * clients stopped.
     */
    @Test
    void slowBodiesOutsideTheWebhookPathLeaveThreadsForWebhooks() throws Exception {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of("bridge.webhook.secret", SECRET,
                "bridge.admin.username", "ops", "bridge.admin.password", "ops-password-123"))) {
            List<Socket> slow = new ArrayList<>();
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            try {
                for (int i = 0; i < SLOW; i++) {
                    // Most to the sign-in form; some as a PUT on the webhook URL, refused (405) without being read.
                    slow.add(startBody(bridge, i % 5 == 0 ? "PUT /webhooks/jodo" : "POST /login",
                            "application/x-www-form-urlencoded", "u"));
                }
                // One more byte a second on every slow connection, until the webhooks are answered.
                trickle(trickle, slow, 'u');

                for (int i = 0; i < 20; i++) {
                    HttpResponse<String> answer = bridge.postWebhook(Samples.withEventId("flex.instalment.debited",
                            Samples.freshId()), SECRET);
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
                }
                trickle.shutdownNow();
                int turnedAway = 0;
                for (Socket socket : slow) {
                    // Those turned away were answered long ago; those let in are still sending.
                    socket.setSoTimeout(200);
                    if (statusLine(socket).startsWith("HTTP/1.1 503")) {
                        turnedAway++;
                    }
                }
                assertThat(turnedAway).isEqualTo(SLOW - OtherBodiesGate.AT_ONCE);
                assertThat(bridge.inboxRows()).isEqualTo(20);
            } finally {
                trickle.shutdownNow();
                for (Socket socket : slow) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void anIdleConnectionAfterItsHeadersIsAnswered408() throws Exception {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of(
                "bridge.webhook.secret", SECRET,
                "bridge.webhook.body-timeout", "1s"));
             Socket socket = new Socket("127.0.0.1", bridge.port())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(("POST /webhooks/jodo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            String answer = new String(socket.getInputStream().readNBytes(400), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"error\":\"body_timeout\"");
        }
    }

    /**
     * A valid webhook whose body comes in two parts a moment apart: what arrived with the headers is kept, the rest is
     * read as it comes, and the stored bytes are the bytes sent.
     */
    @Test
    void aBodyArrivingInPartsIsStoredWhole() throws Exception {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of("bridge.webhook.secret", SECRET));
             Socket socket = new Socket("127.0.0.1", bridge.port())) {
            String id = Samples.freshId();
            byte[] body = Samples.withEventId("flex.instalment.debited", id);
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /webhooks/jodo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "X-Jodo-Signature: " + Signing.sign(SECRET, body) + "\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 100);
            out.flush();
            // Not a wait for a condition: the gap between the two parts is the scenario (a body split on the wire).
            Thread.sleep(500);
            out.write(body, 100, body.length - 100);
            out.flush();

            assertThat(statusLine(socket)).startsWith("HTTP/1.1 202");
            assertThat(bridge.jdbc().queryForObject("SELECT raw_body FROM inbox_event WHERE event_id = ?",
                    byte[].class, id)).isEqualTo(body);
        }
    }

    /**
     * Bodies being received hold at most bridge.webhook.max-bodies-in-flight bytes at once: beyond it a webhook is
     * answered 503 with Retry-After before its body is read (whether its length is announced or it comes chunked),
     * so many clients sending large bodies at the same moment cannot fill the heap. What a body held is free again
     * once it is answered, stored or refused, or its client is gone.
     */
    @Test
    void bodiesBeingReceivedHoldAtMostTheirBudget() throws Exception {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of(
                "bridge.webhook.secret", SECRET,
                "bridge.webhook.max-body-size", "64KB",
                "bridge.webhook.max-bodies-in-flight", "128KB",
                // Longer than the test: the two held bodies must not end in 408 (at the default 5 s) before a slow
                // run has seen the budget full, as one clean-clone CI run did.
                "bridge.webhook.body-timeout", "60s"))) {
            List<Socket> holders = new ArrayList<>();
            try {
                // Two bodies of 60,000 bytes, all but their last byte sent: being received, they fill the budget.
                for (int i = 0; i < 2; i++) {
                    Socket socket = new Socket("127.0.0.1", bridge.port());
                    socket.setSoTimeout(15_000);
                    socket.getOutputStream().write(("POST /webhooks/jodo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Content-Type: application/json\r\nContent-Length: 60000\r\n\r\n{" + " ".repeat(59_998))
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    holders.add(socket);
                }
                // Announced and not sent, a body holds nothing: a valid webhook is still taken beside it.
                Socket announced = new Socket("127.0.0.1", bridge.port());
                holders.add(announced);
                announced.getOutputStream().write(("POST /webhooks/jodo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 65000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                announced.getOutputStream().flush();
                // Once the bridge has read both bodies (a loaded machine reads them late: a webhook posted before
                // that may take the room first, and one of the two is then the one answered 503), nothing fits.
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> bridge.metric(IN_FLIGHT) == 2 * 59_999);
                String large = Samples.freshId();
                HttpResponse<String> refused = post(bridge, large, 20_000);
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(Samples.tree(refused.body()).path("error").asText()).isEqualTo("busy");
                assertThat(Samples.tree(refused.body()).path("message").asText())
                        .contains("bridge.webhook.max-bodies-in-flight");
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                assertThat(chunkedStatus(bridge, 20_000)).startsWith("HTTP/1.1 503");
                // The budget is bytes, not requests: a webhook of a usual size still fits beside the two.
                assertThat(post(bridge, Samples.freshId(), 1_000).statusCode()).isEqualTo(202);
                assertThat(bridge.inboxRows(large)).isZero();
            } finally {
                for (Socket socket : holders) {
                    socket.close();
                }
            }
            // Their clients gone, the bodies give their room back.
            await().atMost(Duration.ofSeconds(10)).until(() -> bridge.metric(IN_FLIGHT) == 0);
            String large = Samples.freshId();
            assertThat(post(bridge, large, 20_000).statusCode()).isEqualTo(202);
            // Twenty times the budget, one after the other: each body gives back what it held.
            for (int i = 0; i < 130; i++) {
                assertThat(post(bridge, Samples.freshId(), 20_000).statusCode()).as("webhook %d", i).isEqualTo(202);
            }
            assertThat(chunkedStatus(bridge, 20_000)).startsWith("HTTP/1.1 401");
        }
    }

    /** A signed webhook of about {@code size} bytes. */
    private static HttpResponse<String> post(BridgeInstance bridge, String id, int size) {
        byte[] body = Samples.envelope(id, "masterdata.student.registered", "{\"pad\":\"" + "x".repeat(size) + "\"}");
        return bridge.postWebhook(body, SECRET);
    }

    /** The status line answering an unsigned body of {@code size} bytes sent chunked, its length unannounced. */
    private static String chunkedStatus(BridgeInstance bridge, int size) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", bridge.port())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /webhooks/jodo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int sent = 0; sent < size; sent += 4096) {
                try {
                    out.write((Integer.toHexString(4096) + "\r\n" + "x".repeat(4096) + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException answeredAndClosed) {
                    break;
                }
            }
            try {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException answeredAndClosed) {
                // the bridge answered before the end of the body
            }
            return statusLine(socket);
        }
    }

    /** A connection that sent its request's headers, announcing a body of 1,000 bytes, and the body's first part. */
    private static Socket startBody(BridgeInstance bridge, String request, String contentType, String first)
            throws IOException {
        Socket socket = new Socket("127.0.0.1", bridge.port());
        OutputStream out = socket.getOutputStream();
        out.write((request + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                + "\r\nContent-Length: 1000\r\n\r\n" + first).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** One more byte a second on every connection of {@code slow}, until {@code trickle} is shut down. */
    private static void trickle(ScheduledExecutorService trickle, List<Socket> slow, char next) {
        trickle.scheduleAtFixedRate(() -> slow.forEach(socket -> {
            try {
                socket.getOutputStream().write(next);
                socket.getOutputStream().flush();
            } catch (IOException answeredAndClosed) {
                // the bridge gave up on it, or turned it away, as it should
            }
        }), 1, 1, TimeUnit.SECONDS);
    }

    private static String statusLine(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        } catch (IOException e) {
            return "no answer: " + e.getMessage();
        }
    }
}
