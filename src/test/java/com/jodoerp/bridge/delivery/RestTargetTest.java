package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.canonical.CanonicalMapper;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpHttpServer;
import com.jodoerp.bridge.support.ErpHttpServer.Answer;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST transport against a real HTTP server on 127.0.0.1 that fails, throttles, refuses and dawdles. */
class RestTargetTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;
    static ErpHttpServer erp;
    static ErpHttpServer shaped;
    static BridgeInstance bridge;

    @BeforeAll
    static void start() throws Exception {
        erp = new ErpHttpServer();
        shaped = new ErpHttpServer();
        Map<String, String> settings = new HashMap<>();
        settings.put("bridge.delivery.retry.initial-backoff", "100ms");
        settings.put("bridge.delivery.retry.max-backoff", "200ms");
        settings.put("bridge.targets.outbox.enabled", "false");
        settings.put("bridge.targets.erp.transport", "rest");
        settings.put("bridge.targets.erp.families", "*");
        settings.put("bridge.targets.erp.options.url", erp.url());
        settings.put("bridge.targets.erp.options.path", "/api/records");
        settings.put("bridge.targets.erp.options.path.flex", "/api/flex");
        settings.put("bridge.targets.erp.options.method.masterdata", "PUT");
        settings.put("bridge.targets.erp.options.auth", "bearer");
        settings.put("bridge.targets.erp.options.token", "erp-token");
        settings.put("bridge.targets.erp.options.read-timeout", "700ms");
        settings.put("bridge.targets.frappe.transport", "rest");
        settings.put("bridge.targets.frappe.families", "direct");
        settings.put("bridge.targets.frappe.options.url", shaped.url());
        settings.put("bridge.targets.frappe.options.path", "/api/receipts");
        settings.put("bridge.targets.frappe.options.template", "routes/examples/rest/receipt.jslt");
        settings.put("bridge.targets.frappe.options.auth", "basic");
        settings.put("bridge.targets.frappe.options.username", "api-user");
        settings.put("bridge.targets.frappe.options.password", "api-secret");
        settings.put("bridge.targets.frappe.options.expect", "json");
        bridge = BridgeInstance.start(dataDir, settings);
    }

    @AfterAll
    static void stop() {
        bridge.close();
        erp.close();
        shaped.close();
    }

    @Test
    void everySampleIsPostedOnceWithItsIdempotencyKeyAndTheCanonicalRecord() {
        for (String event : Samples.events()) {
            assertThat(bridge.postWebhook(Samples.bytes(event), null).statusCode()).isEqualTo(202);
        }
        for (String event : Samples.events()) {
            String id = Samples.eventId(Samples.bytes(event));
            await().atMost(WITHIN).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "erp")));
            List<ErpHttpServer.Request> requests = erp.requestsFor(id);
            assertThat(requests).hasSize(1);
            ErpHttpServer.Request request = requests.get(0);
            assertThat(request.header("Authorization")).isEqualTo("Bearer erp-token");
            assertThat(request.header("Content-Type")).startsWith("application/json");
            assertThat(request.method()).isEqualTo(event.startsWith("masterdata.") ? "PUT" : "POST");
            assertThat(request.path()).isEqualTo(event.startsWith("flex.") ? "/api/flex" : "/api/records");
            JsonNode body = CanonicalMapper.read(request.body().getBytes());
            assertThat(body.path("schema").asText()).isEqualTo("jodo-erp-bridge/v1");
            assertThat(body.path("event_id").asText()).isEqualTo(id);
            assertThat(request.header("X-Jodo-Signature")).isNull();
        }
    }

    @Test
    void aServerErrorIsRetriedUntilTheErpTakesIt() {
        String id = Samples.freshId();
        // 409: the IETF Idempotency-Key draft's answer to a retry while the key's first request is still at work.
        erp.script(id, Answer.status(500, "{\"error\":\"database locked\"}"), Answer.status(503, ""),
                Answer.status(409, "{\"title\":\"this Idempotency-Key is still being processed\"}"),
                Answer.status(200, "{}"));
        assertThat(bridge.postWebhook(Samples.withEventId("flex.instalment.settled", id), null).statusCode())
                .isEqualTo(202);

        await().atMost(WITHIN).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "erp")));
        assertThat(erp.requestsFor(id)).hasSize(4)
                .allSatisfy(r -> assertThat(r.header("Idempotency-Key")).isEqualTo(id));
        assertThat(bridge.deliveryAttempts(id, "erp")).isEqualTo(4);
    }

    @Test
    void aThrottledRequestWaitsAsLongAsRetryAfterSays() {
        String id = Samples.freshId();
        erp.script(id, new Answer(429, Duration.ZERO, "{\"error\":\"slow down\"}", "2"));
        assertThat(bridge.postWebhook(Samples.withEventId("pay.payment.debited", id), null).statusCode())
                .isEqualTo(202);

        await().atMost(WITHIN).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "erp")));
        List<ErpHttpServer.Request> requests = erp.requestsFor(id);
        assertThat(requests).hasSize(2);
        assertThat(Duration.ofNanos(requests.get(1).atNanos() - requests.get(0).atNanos()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void aRefusalIsADeadLetterAtOnceWithTheErpsAnswer() {
        String refusal = "{\"error\":\"unknown fee component TRANSPORT_FEE\"}";
        assertThat(deadLetterAfterOneRequest(Answer.status(400, refusal)))
                .contains("400").contains("unknown fee component TRANSPORT_FEE");
    }

    @Test
    void aRedirectIsNotFollowedAndTheDeadLetterSaysWhereItPointed() {
        // A POST followed to a sign-in page would answer 200 there, and the record would count as delivered.
        String signIn = "https://sso.school.example/login?state=opaque-sign-in-state#top";
        assertThat(deadLetterAfterOneRequest(Answer.redirect(302, signIn)))
                .contains("ERP answered 302 (redirected to https://sso.school.example/login; the bridge does not follow"
                        + " redirects: set the target's url to where the ERP answers)")
                .doesNotContain("opaque-sign-in-state");
    }

    @Test
    void aSignInPageAnsweredInTheApisPlaceIsADeadLetterNotADelivery() {
        // A proxy or a single sign-on before the ERP answers with its sign-in page, and 200: the ERP never saw it.
        String page = "\n<!DOCTYPE html>\n<html><head><title>Sign in - School SSO</title></head><body></body></html>";
        assertThat(deadLetterAfterOneRequest(Answer.status(200, page)))
                .startsWith("PermanentDeliveryException: ERP answered 200 with an HTML page, not its API's answer")
                .contains("Sign in - School SSO");
        String xhtml = "<?xml version=\"1.0\"?>\n<!-- portal -->\n<html xmlns=\"http://www.w3.org/1999/xhtml\">"
                + "<head><title>Login</title></head></html>";
        assertThat(deadLetterAfterOneRequest(Answer.status(200, xhtml))).contains("ERP answered 200 with an HTML page");

        // A word is an answer some APIs give: delivered, unless the target expects JSON (frappe: expect json).
        String id = Samples.freshId();
        erp.script(id, Answer.status(200, "OK"));
        shaped.script(id, Answer.status(200, "OK"));
        assertThat(bridge.postWebhook(Samples.withEventId("direct.payment.added", id), null).statusCode())
                .isEqualTo(202);
        await().atMost(WITHIN).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "erp"))
                && "DEAD".equals(bridge.deliveryState(id, "frappe")));
        assertThat(bridge.jdbc().queryForObject("SELECT last_error FROM delivery WHERE event_id = ? AND target = ?",
                String.class, id, "frappe")).contains("ERP answered 200 with something other than JSON");
    }

    /**
     * An answer larger than any API's (an endpoint that answers a file or a whole collection) is read no further than
     * 16 MB, whether its length is announced or shows only as it arrives: a dead letter naming it, not a heap filled.
     * Nor does the bridge ask for compressed answers, which would inflate past what it reads.
     */
    @Test
    void anAnswerLargerThanAnyApisIsADeadLetterNotReadWhole() {
        String huge = "x".repeat(17 * 1024 * 1024);
        assertThat(deadLetterAfterOneRequest(Answer.status(200, huge)))
                .contains("the ERP answered with " + huge.length() + " bytes, over the 16 MB the bridge reads");
        assertThat(deadLetterAfterOneRequest(Answer.chunked(200, huge)))
                .contains("the ERP answered with more than 16777216 bytes, over the 16 MB the bridge reads");

        String id = Samples.freshId();
        erp.script(id, Answer.chunked(201, "{\"ok\": true}"));
        assertThat(bridge.postWebhook(Samples.withEventId("direct.payment.added", id), null).statusCode())
                .isEqualTo(202);
        await().atMost(WITHIN).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "erp")));
        assertThat(erp.requestsFor(id).get(0).header("Accept-Encoding")).isNull();
    }

    /** Posts a payment the ERP answers with {@code answer}; the dead letter's reason, after exactly one request. */
    private static String deadLetterAfterOneRequest(Answer answer) {
        String id = Samples.freshId();
        erp.script(id, answer);
        assertThat(bridge.postWebhook(Samples.withEventId("direct.payment.added", id), null).statusCode())
                .isEqualTo(202);
        await().atMost(WITHIN).until(() -> "DEAD".equals(bridge.deliveryState(id, "erp")));
        assertThat(erp.requestsFor(id)).hasSize(1);
        return bridge.jdbc().queryForObject("SELECT last_error FROM delivery WHERE event_id = ? AND target = ?",
                String.class, id, "erp");
    }

    @Test
    void aSlowErpIsGivenUpOnAndTriedAgain() {
        String id = Samples.freshId();
        erp.script(id, new Answer(200, Duration.ofSeconds(3), "{}", null), Answer.status(200, "{}"));
        assertThat(bridge.postWebhook(Samples.withEventId("cred.emi.debited", id), null).statusCode())
                .isEqualTo(202);

        await().atMost(WITHIN).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "erp")));
        assertThat(erp.requestsFor(id)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(bridge.jdbc().queryForObject("SELECT first_failed_at FROM delivery WHERE event_id = ? AND target = ?",
                Object.class, id, "erp")).isNotNull();
    }

    @Test
    void aTemplateShapesTheBodyForTheErpsOwnApi() {
        String id = Samples.freshId();
        assertThat(bridge.postWebhook(Samples.withEventId("direct.payment.cancelled", id), null).statusCode())
                .isEqualTo(202);

        await().atMost(WITHIN).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "frappe")));
        ErpHttpServer.Request request = shaped.requestsFor(id).get(0);
        assertThat(request.path()).isEqualTo("/api/receipts");
        assertThat(request.header("Authorization")).isEqualTo("Basic YXBpLXVzZXI6YXBpLXNlY3JldA==");
        assertThat(request.body()).contains("\"amount\":5500.00").contains("\"amount\":3500.00");
        JsonNode body = CanonicalMapper.read(request.body().getBytes());
        assertThat(body.path("receipt_id").asText()).isEqualTo("pay_7f3c21a9");
        assertThat(body.path("status").asText()).isEqualTo("CANCELLED");
        assertThat(body.path("reversed").asBoolean()).isTrue();
        assertThat(body.path("precedence").asInt()).isEqualTo(3);
        assertThat(body.path("admission_number").asText()).isEqualTo("ADM/0457");
        assertThat(body.path("lines")).hasSize(2);
    }

    /**
     * A template that fails on a record (JSLT's number() of a text) fails its delivery naming the template, which
     * JSLT's words alone do not; the record is retried, and lands once the template is mended and the bridge restarted.
     */
    @Test
    void aTemplateFailingOnARecordIsRetriedNamingTheTemplateAndLandsOnceMended(@TempDir Path dir) throws Exception {
        Path template = dir.resolve("receipt.jslt");
        Files.writeString(template, "{\"receipt\": number(.payment.id)}\n");
        Map<String, String> settings = new HashMap<>(Map.of(
                "bridge.delivery.retry.initial-backoff", "200ms",
                "bridge.delivery.retry.max-backoff", "500ms",
                "bridge.targets.outbox.enabled", "false",
                "bridge.targets.receipts.transport", "rest",
                "bridge.targets.receipts.families", "direct",
                "bridge.targets.receipts.options.url", shaped.url(),
                "bridge.targets.receipts.options.template", template.toString()));
        String id = Samples.freshId();
        try (BridgeInstance own = BridgeInstance.start(dir.resolve("data"), settings)) {
            assertThat(own.postWebhook(Samples.withEventId("direct.payment.added", id), null).statusCode())
                    .isEqualTo(202);
            await().atMost(WITHIN).until(() -> own.deliveryAttempts(id, "receipts") >= 2);
            assertThat(own.deliveryState(id, "receipts")).isEqualTo("PENDING");
            assertThat(own.jdbc().queryForObject("SELECT last_error FROM delivery WHERE event_id = ?", String.class,
                    id))
                    // The folder's digits are masked in errors, as a phone number would be: the file's name is whole.
                    .startsWith("RouteFileFailure: /").contains("/receipt.jslt: number(pay_").endsWith("not a number");
        }
        // Mended, and read again as the bridge starts (Camel keeps a template once read, as it does a statement).
        Files.writeString(template, "{\"receipt\": .payment.id}\n");
        try (BridgeInstance own = BridgeInstance.start(dir.resolve("data"), settings)) {
            await().atMost(WITHIN).until(() -> "DELIVERED".equals(own.deliveryState(id, "receipts")));
            assertThat(shaped.requestsFor(id)).hasSize(1);
            assertThat(CanonicalMapper.read(shaped.requestsFor(id).get(0).body().getBytes()).path("receipt").asText())
                    .startsWith("pay_");
        }
    }
}
