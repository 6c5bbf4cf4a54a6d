package com.jodoerp.bridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.availability.ReadinessState;

/**
 * Requests the web server or its firewall refuses before the bridge reads them (characters HTTP does not allow in
 * the request line, an encoded slash, {@code //} or {@code ;} in the path, a malformed header line, a method such as
 * TRACE or CONNECT) get a 400 or 405 in the bridge's JSON error shape saying what was wrong, not the server's HTML page
 * or an empty body, and nothing names the server or repeats the refused value. Sent over a raw socket: an HTTP client
 * would refuse to send them.
 */
class MalformedRequestsTest {

    @TempDir
    static Path dataDir;
    static BridgeInstance bridge;

    @BeforeAll
    static void start() {
        bridge = BridgeInstance.start(dataDir, Map.of("bridge.webhook.secret", UUID.randomUUID().toString()));
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    @Test
    void markupInTheRequestTargetIsNamedInJson() throws IOException {
        assertThat(badRequestMessage(post("/webhooks/jodo?x=<script>", ""))).contains(
                "refused before it reached the bridge").contains("Invalid character found in the request target")
                .doesNotContain("script");
    }

    @Test
    void anEncodedSlashInThePathIsRefusedInJson() throws IOException {
        assertThat(badRequestMessage(post("/webhooks/jodo/%2e%2e%2fadmin", ""))).contains("encoded '/'");
    }

    @Test
    void aMalformedHeaderLineIsNamedInJsonWithoutItsValue() throws IOException {
        // The rule broken is named; the refused line, which may carry a parent's details, is not repeated.
        assertThat(badRequestMessage(post("/webhooks/jodo", "Parent Phone: 9876543210\r\n"))).contains("header line")
                .doesNotContain("9876543210").doesNotContain("Phone");
        assertThat(bridge.inboxRows()).isZero();
    }

    /**
     * A client that takes no JSON (a scanner asking for XML) still gets the error in JSON, not an empty body; and a
     * browser too, not Spring's "Whitelabel" HTML page.
     */
    @Test
    void anErrorForAClientThatTakesNoJsonIsStillJson() throws IOException {
        // An Accept header that is no list of types is read as none: answered as any other request, in JSON.
        for (String accept : List.of("application/xml", "garbage///", "text/html",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")) {
            Answer answer = send("GET /nothing-here HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + accept + "\r\n"
                    + "Connection: close\r\n\r\n");
            assertThat(answer.status()).as(accept).isEqualTo(404);
            assertThat(answer.contentType()).as(accept).startsWith("application/json");
            JsonNode body = Samples.tree(answer.body());
            assertThat(body.path("error").asText()).as(accept).isEqualTo("not_found");
            assertThat(body.path("message").asText()).as(accept).contains("webhooks go to POST /webhooks/jodo");
        }
    }

    /**
     * The error page's own path asked for directly (a scanner walks it) is a path nothing serves: Spring would answer
     * 500 with a made-up status 999, as if the bridge had failed.
     */
    @Test
    void theErrorPathAskedForDirectlyIsNotFound() throws IOException {
        for (String method : List.of("GET", "POST")) {
            Answer answer = send(method + " /error HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n");
            assertThat(answer.status()).as(method).isEqualTo(404);
            JsonNode body = Samples.tree(answer.body());
            assertThat(body.path("error").asText()).as(method).isEqualTo("not_found");
            assertThat(body.path("status").asInt()).as(method).isEqualTo(404);
        }
    }

    @Test
    void aMethodTheBridgeDoesNotAnswerGetsA405InJson() throws IOException {
        Answer answer = send("TRACE /webhooks/jodo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(Samples.tree(answer.body()).path("error").asText()).isEqualTo("method_not_allowed");
        assertThat(answer.raw()).containsIgnoringCase("Allow: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
    }

    @Test
    void connectWhichTheWebServerRefusesItselfGetsTheSame405() throws IOException {
        // Tomcat refuses CONNECT before the firewall sees it, for a browser (text/html), a client and curl alike.
        for (String accept : new String[] {"", "Accept: text/html\r\n", "Accept: application/json\r\n"}) {
            for (String target : new String[] {"/webhooks/jodo", "127.0.0.1:22"}) {
                Answer answer = send("CONNECT " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + accept
                        + "Connection: close\r\n\r\n");

                String which = target + " " + accept;
                assertThat(answer.status()).as(which).isEqualTo(405);
                assertThat(answer.contentType()).as(which).startsWith("application/json");
                assertThat(Samples.tree(answer.body()).path("error").asText()).as(which)
                        .isEqualTo("method_not_allowed");
                assertThat(answer.raw()).as(which)
                        .containsIgnoringCase("Allow: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
            }
        }
    }

    @Test
    void aMethodTheWebhookPathDoesNotTakeGetsA405InTheSameShape() throws IOException {
        for (String method : new String[] {"GET", "PUT"}) {
            Answer answer = send(method + " /webhooks/jodo?phone=9876543210 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n");

            assertThat(answer.status()).as(method).isEqualTo(405);
            assertThat(answer.contentType()).as(method).startsWith("application/json");
            JsonNode body = Samples.tree(answer.body());
            assertThat(body.path("error").asText()).as(method).isEqualTo("method_not_allowed");
            assertThat(body.path("message").asText()).as(method).contains("does not take this method");
            assertThat(body.path("status").asInt()).as(method).isEqualTo(405);
            assertThat(body.has("path")).as(method).isFalse();
            assertThat(answer.raw()).as(method).doesNotContain("9876543210").containsIgnoringCase("Allow: POST");
        }
    }

    @Test
    void aPathTheFirewallRefusesGetsA400InJson() throws IOException {
        for (String path : new String[] {"//webhooks/jodo", "/webhooks/jodo;phone=9876543210", "/webhooks/./jodo"}) {
            assertThat(badRequestMessage(post(path, ""))).as(path).contains("refused before it reached the bridge")
                    .doesNotContain("9876543210");
        }
        assertThat(bridge.inboxRows()).isZero();
    }

    @Test
    void tooManyHeadersAreNamedWithoutTheLimitsValueLeftBehind() throws IOException {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            headers.append("X-Pad-").append(i).append(": v\r\n");
        }
        assertThat(badRequestMessage(post("/webhooks/jodo", headers.toString())))
                .contains("maximum allowed number of headers").doesNotContain(",,");
    }

    @Test
    void aBodyWhoseChunkedFramingIsBrokenGetsA400NotA500() throws IOException {
        Answer answer = send("POST /webhooks/jodo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/json");
        JsonNode body = Samples.tree(answer.body());
        assertThat(body.path("error").asText()).isEqualTo("invalid_body");
        assertThat(body.path("message").asText()).contains("not valid HTTP framing").contains("chunk");
        assertThat(bridge.inboxRows()).isZero();
    }

    @Test
    void aTransferEncodingTheBridgeDoesNotReadIsNamed() throws IOException {
        Answer answer = send("POST /webhooks/jodo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n");

        assertThat(answer.status()).isEqualTo(501);
        JsonNode body = Samples.tree(answer.body());
        assertThat(body.path("error").asText()).isEqualTo("not_implemented");
        assertThat(body.path("message").asText()).isEqualTo("the body's Transfer-Encoding is not one the bridge reads:"
                + " send it with a Content-Length, or chunked alone");
    }

    @Test
    void theBridgesOwnRefusalsKeepTheirAnswers() throws IOException {
        Answer answer = send("POST /webhooks/jodo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 5\r\nConnection: close\r\n\r\nhello");

        assertThat(answer.status()).isEqualTo(415);
        assertThat(Samples.tree(answer.body()).path("error").asText()).isEqualTo("unsupported_media_type");
    }

    /**
     * As the bridge stops, Tomcat pauses its connector; a request whose line it reads just as the pause begins is
     * refused with its headers unread, so the Host header looks missing and Tomcat answers 400. The race cannot be
     * timed from outside; a request without a Host header while readiness refuses (as it does from the first step of
     * a stop) meets the same refusal, and must get the intake's answer for that moment.
     */
    @Test
    void aRequestTomcatRefusesWhileTheBridgeStopsIsAskedToComeBackNotToldItIsWrong() throws IOException {
        String withoutHost = "POST /webhooks/jodo HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\n{}";
        assertThat(send(withoutHost).status()).as("while the bridge takes webhooks").isEqualTo(400);

        bridge.readiness(ReadinessState.REFUSING_TRAFFIC);
        try {
            Answer answer = send(withoutHost);

            assertThat(answer.status()).isEqualTo(503);
            assertThat(header(answer.raw(), "retry-after")).isEqualTo("5");
            assertThat(answer.contentType()).startsWith("application/json");
            assertThat(Samples.tree(answer.body()).path("error").asText()).isEqualTo("not_ready");
        } finally {
            bridge.readiness(ReadinessState.ACCEPTING_TRAFFIC);
        }
        assertThat(bridge.inboxRows()).isZero();
    }

    private record Answer(int status, String contentType, String body, String raw) {
    }

    /** A webhook-shaped POST of "{}" to this request target, with these header lines before the usual ones. */
    private static Answer post(String target, String headers) throws IOException {
        return send("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers
                + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
    }

    /** A 400 in the bridge's shape with the code bad_request, nothing naming the server: its message. */
    private static String badRequestMessage(Answer answer) {
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.raw()).doesNotContainIgnoringCase("tomcat").doesNotContain("<html");
        JsonNode body = Samples.tree(answer.body());
        assertThat(body.path("error").asText()).isEqualTo("bad_request");
        return body.path("message").asText();
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
            String body = raw.substring(split + 4);
            String length = header(head, "content-length");
            if (length != null) {
                // Framed by its length: all of it arrived, and nothing after it.
                assertThat(body.getBytes(StandardCharsets.UTF_8)).as("the answer's body, framed by its length")
                        .hasSize(Integer.parseInt(length));
            }
            boolean chunked = "chunked".equalsIgnoreCase(header(head, "transfer-encoding"));
            String contentType = Objects.toString(header(head, "content-type"), "");
            return new Answer(Integer.parseInt(head.substring(9, 12)), contentType, chunked ? dechunk(body) : body,
                    raw);
        }
    }

    private static String header(String head, String name) {
        return head.lines().filter(line -> line.toLowerCase().startsWith(name + ":"))
                .map(line -> line.substring(name.length() + 1).trim()).findFirst().orElse(null);
    }

    /** The body of a chunked answer, each chunk's size line dropped; a chunked answer must end with its last chunk. */
    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        int lineEnd;
        while ((lineEnd = chunked.indexOf("\r\n", at)) >= 0) {
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        throw new AssertionError("a chunked answer without its last chunk: " + chunked);
    }
}
