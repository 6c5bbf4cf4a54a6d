package com.jodoerp.bridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests the web server refuses before the bridge reads them (characters HTTP does not allow in the request line,
 * an encoded slash in the path, a malformed header line) get a 400 in the bridge's JSON error shape saying what was
 * wrong, not the server's HTML page, and nothing names the server. Sent over a raw socket: an HTTP client would
 * refuse to send them.
 */
class MalformedRequestsTest {

    @TempDir
    static Path dataDir;
    static BridgeInstance bridge;

    @BeforeAll
    static void start() {
        bridge = BridgeInstance.start(dataDir, Map.of("bridge.webhook.secret", "malformed-secret"));
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    @Test
    void markupInTheRequestTargetIsNamedInJson() throws IOException {
        Answer answer = send("POST /webhooks/jodo?x=<script> HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/json");
        JsonNode body = Samples.tree(answer.body());
        assertThat(body.path("error").asText()).isEqualTo("bad_request");
        assertThat(body.path("message").asText()).contains("refused before it reached the bridge")
                .contains("Invalid character found in the request target").doesNotContain("script");
        assertThat(answer.raw()).doesNotContainIgnoringCase("tomcat").doesNotContain("<html");
    }

    @Test
    void anEncodedSlashInThePathIsRefusedInJson() throws IOException {
        Answer answer = send("POST /webhooks/jodo/%2e%2e%2fadmin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/json");
        JsonNode body = Samples.tree(answer.body());
        assertThat(body.path("error").asText()).isEqualTo("bad_request");
        assertThat(body.path("message").asText()).contains("encoded '/'");
        assertThat(answer.raw()).doesNotContainIgnoringCase("tomcat").doesNotContain("<html");
    }

    @Test
    void aMalformedHeaderLineIsNamedInJsonWithoutItsValue() throws IOException {
        Answer answer = send("POST /webhooks/jodo HTTP/1.1\r\nHost: 127.0.0.1\r\nParent Phone: 9876543210\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/json");
        // The rule broken is named; the refused line, which may carry a parent's details, is not repeated.
        assertThat(Samples.tree(answer.body()).path("message").asText()).contains("header line")
                .doesNotContain("9876543210").doesNotContain("Phone");
        assertThat(bridge.inboxRows()).isZero();
    }

    @Test
    void theBridgesOwnRefusalsKeepTheirAnswers() throws IOException {
        Answer answer = send("POST /webhooks/jodo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 5\r\nConnection: close\r\n\r\nhello");

        assertThat(answer.status()).isEqualTo(415);
        assertThat(Samples.tree(answer.body()).path("error").asText()).isEqualTo("unsupported_media_type");
    }

    private record Answer(int status, String contentType, String body, String raw) {
    }

    private static Answer send(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", bridge.port())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = raw.indexOf("\r\n\r\n");
            String head = raw.substring(0, split);
            String contentType = head.lines().filter(line -> line.toLowerCase().startsWith("content-type:"))
                    .map(line -> line.substring("content-type:".length()).trim()).findFirst().orElse("");
            return new Answer(Integer.parseInt(head.substring(9, 12)), contentType, raw.substring(split + 4), raw);
        }
    }
}
