package com.jodoerp.bridge.webhook;

import static com.jodoerp.bridge.support.Answers.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Samples;
import com.jodoerp.bridge.support.Signing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The intake over real HTTP on the embedded H2 store, with a secret being rotated. */
@ExtendWith(OutputCaptureExtension.class)
class WebhookIntakeTest {

    private static final String SECRET = "current-test-secret";
    private static final String PREVIOUS = "previous-test-secret";

    @TempDir
    static Path dataDir;
    static BridgeInstance bridge;

    @BeforeAll
    static void start() {
        bridge = BridgeInstance.start(dataDir, Map.of(
                "bridge.webhook.secret", SECRET,
                "bridge.webhook.previous-secret", PREVIOUS));
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    static java.util.List<String> samples() {
        return Samples.events();
    }

    @Test
    void everyJodoEventHasASample() {
        assertThat(Samples.events()).hasSize(36);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void eachSampleIsAcceptedStoredAsSentAndThenDuplicate(String event) {
        byte[] body = Samples.bytes(event);
        String eventId = Samples.eventId(body);

        HttpResponse<String> first = bridge.postWebhook(body, SECRET);
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(Samples.tree(first.body())).isEqualTo(Samples.tree(
                "{\"status\":\"accepted\",\"event_id\":\"" + eventId + "\"}"));
        Map<String, Object> row = bridge.jdbc().queryForMap(
                "SELECT event_name, event_timestamp, remote_address, raw_body FROM inbox_event WHERE event_id = ?",
                eventId);
        assertThat(row.get("EVENT_NAME")).isEqualTo(event);
        assertThat((byte[]) row.get("RAW_BODY")).isEqualTo(body);
        assertThat(row.get("REMOTE_ADDRESS")).isEqualTo("127.0.0.1");
        assertThat(((Number) row.get("EVENT_TIMESTAMP")).longValue())
                .isEqualTo(Samples.tree(new String(body, StandardCharsets.UTF_8)).path("timestamp").asLong());

        HttpResponse<String> again = bridge.postWebhook(body, SECRET);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Samples.tree(again.body())).isEqualTo(Samples.tree(
                "{\"status\":\"duplicate\",\"event_id\":\"" + eventId + "\"}"));
        assertThat(bridge.inboxRows(eventId)).isEqualTo(1);
    }

    /**
     * Another payload under a known event id is answered as the duplicate it is, the first event kept; the operator is
     * told which field differs, never its value. The same event written differently is no change.
     */
    @Test
    void aKnownEventIdWithAnotherPayloadKeepsTheFirstAndSaysWhichFieldDiffers(CapturedOutput output) {
        String id = Samples.freshId();
        byte[] first = Samples.withEventId("direct.payment.added", id);
        assertThat(bridge.postWebhook(first, SECRET).statusCode()).isEqualTo(202);

        // Compact, and 5000.0 written 5000.00: the same event.
        ObjectNode event = (ObjectNode) Samples.tree(new String(first, StandardCharsets.UTF_8));
        ObjectNode payment = (ObjectNode) event.path("payload").path("payment");
        payment.put("amount", new BigDecimal("5000.00"));
        byte[] respelled = event.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(respelled).isNotEqualTo(first);
        assertThat(bridge.postWebhook(respelled, SECRET).statusCode()).isEqualTo(200);

        ((ObjectNode) payment.path("details").path(1)).put("amount", "2500.00");
        HttpResponse<String> changed = bridge.postWebhook(event.toString().getBytes(StandardCharsets.UTF_8), SECRET);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(Samples.tree(changed.body()).path("status").asText()).isEqualTo("duplicate");

        assertThat(bridge.jdbc().queryForObject("SELECT raw_body FROM inbox_event WHERE event_id = ?", byte[].class,
                id)).isEqualTo(first);
        assertThat(output.getAll()).containsOnlyOnce("Event " + id + " came again")
                .contains("Event " + id + " came again with a different 'payload.payment.details[1].amount': the"
                        + " bridge keeps the event it stored first")
                .doesNotContain("2500.00");
    }

    @Test
    void eventCodeUrlAndTheUrlsWithATrailingSlashAreAcceptedToo() {
        // As an integrator may paste them into Jodo's dashboard: a 404 there only ends in an unsubscription.
        for (String path : List.of("/webhooks/jodo/flex.instalment.settled", "/webhooks/jodo/",
                "/webhooks/jodo/flex.instalment.settled/")) {
            String id = Samples.freshId();
            byte[] body = Samples.envelope(id, "flex.instalment.settled", "{}");
            HttpResponse<String> response = bridge.post(path, body, Map.of(
                    "Content-Type", "application/json", "X-Jodo-Signature", Signing.sign(SECRET, body)));
            assertThat(response.statusCode()).as(path).isEqualTo(202);
            assertThat(bridge.inboxRows(id)).isEqualTo(1);
        }
    }

    @Test
    void aMistypedWebhookUrlIsToldWhereWebhooksGo() {
        String id = Samples.freshId();
        byte[] body = Samples.envelope(id, "flex.instalment.settled", "{}");
        for (String path : List.of("/webhooks/jodoo", "/webhook/jodo", "/Webhooks/jodo", "/webhooks",
                "/webhooks/jodo/flex.instalment.settled/more")) {
            HttpResponse<String> response = bridge.post(path, body, Map.of(
                    "Content-Type", "application/json", "X-Jodo-Signature", Signing.sign(SECRET, body)));
            assertRefused(response, 404, "not_found");
            assertThat(Samples.tree(response.body()).path("message").asText()).as(path)
                    .contains("POST /webhooks/jodo");
        }
        assertThat(bridge.inboxRows(id)).isZero();
    }

    @Test
    void signatureIsCheckedOverTheExactBytesOfANonAsciiBody() {
        String id = Samples.freshId();
        // Devanagari, an emoji, CRLF, a tab and a byte-order mark: any re-encoding would break the HMAC.
        String payload = "{\r\n\t\"student\": {\"fullname\": \"आरव शर्मा 🎓\", \"grade\": {\"name\": \"कक्षा ५\"}}}";
        byte[] body = ("\uFEFF{\"event_id\":\"" + id + "\",\"event\":\"masterdata.student.registered\","
                + "\"timestamp\":1720593900,\"version\":\"1.0\",\"payload\":" + payload + "}")
                .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = bridge.postWebhook(body, SECRET);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        byte[] stored = bridge.jdbc().queryForObject("SELECT raw_body FROM inbox_event WHERE event_id = ?",
                byte[].class, id);
        assertThat(stored).isEqualTo(body);
    }

    @Test
    void aSignatureOverOtherBytesIsRefused() {
        String id = Samples.freshId();
        byte[] sent = Samples.envelope(id, "masterdata.student.registered", "{\"fullname\":\"आरव\"}");
        // The same text in another normalisation form: equal to the eye, different bytes.
        byte[] signed = Samples.envelope(id, "masterdata.student.registered", "{\"fullname\":\"आरव \"}");
        HttpResponse<String> response = bridge.post("/webhooks/jodo", sent, Map.of(
                "Content-Type", "application/json", "X-Jodo-Signature", Signing.sign(SECRET, signed)));
        assertRefused(response, 401, "invalid_signature");
        assertThat(bridge.inboxRows(id)).isZero();
    }

    @Test
    void thePreviousSecretIsAcceptedWhileRotating() {
        String id = Samples.freshId();
        HttpResponse<String> response = bridge.postWebhook(Samples.envelope(id, "direct.payment.added", "{}"),
                PREVIOUS);
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(bridge.inboxRows(id)).isEqualTo(1);
    }

    @Test
    void anUnknownSecretIsRefused() {
        String id = Samples.freshId();
        assertRefused(bridge.postWebhook(Samples.envelope(id, "direct.payment.added", "{}"), "someone-else"),
                401, "invalid_signature");
        assertThat(bridge.inboxRows(id)).isZero();
    }

    /** A proxy or client library that adds its own X-Jodo-Signature: which value counts would be a guess. */
    @Test
    void aSignatureHeaderSentTwiceIsRefusedSayingSo() {
        String id = Samples.freshId();
        byte[] body = Samples.envelope(id, "direct.payment.added", "{}");

        HttpResponse<String> response = bridge.post("/webhooks/jodo", body, Map.of("Content-Type", "application/json",
                "X-Jodo-Signature", Signing.sign(SECRET, body)), Map.of("X-Jodo-Signature",
                Signing.sign(UUID.randomUUID().toString(), body)));

        assertRefused(response, 401, "invalid_signature");
        assertThat(Samples.tree(response.body()).path("message").asText())
                .isEqualTo("header X-Jodo-Signature was sent 2 times; send it once");
        assertThat(bridge.inboxRows(id)).isZero();
    }

    @Test
    void aMissingSignatureIsRefused() {
        String id = Samples.freshId();
        assertRefused(bridge.postWebhook(Samples.envelope(id, "direct.payment.added", "{}"), null),
                401, "missing_signature");
        assertThat(bridge.inboxRows(id)).isZero();
    }

    @Test
    void requestHeadersAreNotEchoedBack() {
        byte[] body = Samples.envelope(Samples.freshId(), "pay.payment.debited", "{}");
        HttpResponse<String> response = bridge.post("/webhooks/jodo", body, Map.of(
                "Content-Type", "application/json",
                "X-Jodo-Signature", Signing.sign(SECRET, body),
                "X-Custom-Probe", "echo-me"));
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().map().keySet())
                .noneMatch(h -> h.equalsIgnoreCase("X-Jodo-Signature") || h.equalsIgnoreCase("X-Custom-Probe")
                        || h.toLowerCase().startsWith("camel"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/xml", ""})
    void aBodyThatIsNotDeclaredJsonIsRefused(String contentType) {
        String id = Samples.freshId();
        byte[] body = Samples.envelope(id, "pay.payment.debited", "{}");
        Map<String, String> headers = contentType.isEmpty()
                ? Map.of("X-Jodo-Signature", Signing.sign(SECRET, body))
                : Map.of("Content-Type", contentType, "X-Jodo-Signature", Signing.sign(SECRET, body));
        assertRefused(bridge.post("/webhooks/jodo", body, headers), 415, "unsupported_media_type");
        assertThat(bridge.inboxRows(id)).isZero();
    }

    /**
     * Jodo sends UTF-8 and signs those bytes: a charset named in the Content-Type is not read, so a wrong label
     * neither refuses the webhook nor turns its text into other characters on the way to the ERP.
     */
    @ParameterizedTest
    @ValueSource(strings = {"utf-8", "ISO-8859-1", "utf-16", "x-no-such-charset"})
    void theBodyIsReadAsUtf8WhateverCharsetIsNamed(String charset) throws IOException {
        String id = Samples.freshId();
        String remark = "₹5,000 received — Kumār, Class 5 (ಕನ್ನಡ)";
        byte[] body = new String(Samples.withEventId("direct.payment.added", id), StandardCharsets.UTF_8)
                .replace("Term 1 fee received by NEFT", remark).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = bridge.post("/webhooks/jodo", body, Map.of("Content-Type",
                "application/json; charset=" + charset, "X-Jodo-Signature", Signing.sign(SECRET, body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);

        Path record = dataDir.resolve("erp-outbox").resolve("direct").resolve(id + ".json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(record));
        assertThat(Samples.tree(Files.readString(record)).path("payment").path("remark").asText()).isEqualTo(remark);
    }

    /**
     * Jodo does not compress its webhooks, and the signature is over the bytes sent: a compressed body is refused
     * before anything inflates it, so a few KB of gzip cannot expand past the size limit into the heap.
     */
    @ParameterizedTest
    @ValueSource(strings = {"gzip", "deflate", "identity, gzip", "br"})
    void aCompressedBodyIsRefusedUninflated(String coding) throws IOException {
        String id = Samples.freshId();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(compressed)) {
            // A valid webhook, then 32 MB of the whitespace JSON allows after it.
            gzip.write(Samples.envelope(id, "pay.payment.debited", "{}"));
            byte[] spaces = new byte[1024 * 1024];
            Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 32; i++) {
                gzip.write(spaces);
            }
        }
        byte[] body = compressed.toByteArray();
        HttpResponse<String> answer = bridge.post("/webhooks/jodo", body, Map.of("Content-Type", "application/json",
                "Content-Encoding", coding, "X-Jodo-Signature", Signing.sign(SECRET, body)));

        assertRefused(answer, 415, "unsupported_content_encoding");
        assertThat(Samples.tree(answer.body()).path("message").asText()).contains("uncompressed");
        assertThat(answer.headers().firstValue("Accept-Encoding")).hasValue("identity");
        assertThat(bridge.inboxRows(id)).isZero();
    }

    @Test
    void aBodyDeclaredAsItIsIsAccepted() {
        byte[] body = Samples.envelope(Samples.freshId(), "pay.payment.debited", "{}");
        HttpResponse<String> response = bridge.post("/webhooks/jodo", body, Map.of("Content-Type", "application/json",
                "Content-Encoding", "identity", "X-Jodo-Signature", Signing.sign(SECRET, body)));
        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void aBodyOverTheLimitIsRefused() {
        String id = Samples.freshId();
        byte[] body = padded(id, 1024 * 1024 + 1);
        assertRefused(bridge.postWebhook(body, SECRET), 413, "payload_too_large");
        assertThat(bridge.inboxRows(id)).isZero();
    }

    @Test
    void aBodyJustUnderTheLimitIsStoredWhole() {
        String id = Samples.freshId();
        byte[] body = padded(id, 1024 * 1024);
        assertThat(bridge.postWebhook(body, SECRET).statusCode()).isEqualTo(202);
        byte[] stored = bridge.jdbc().queryForObject("SELECT raw_body FROM inbox_event WHERE event_id = ?",
                byte[].class, id);
        assertThat(stored).isEqualTo(body);
    }

    @Test
    void otherMethodsAreNotAllowed() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + bridge.port() + "/webhooks/jodo")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
    }

    /** A valid envelope of exactly {@code size} bytes. */
    private static byte[] padded(String id, int size) {
        byte[] shell = Samples.envelope(id, "masterdata.student.registered", "{\"pad\":\"\"}");
        char[] pad = new char[size - shell.length];
        Arrays.fill(pad, 'x');
        return Samples.envelope(id, "masterdata.student.registered", "{\"pad\":\"" + new String(pad) + "\"}");
    }
}
