package com.jodoerp.bridge.webhook;

import static com.jodoerp.bridge.support.Answers.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Samples;
import com.jodoerp.bridge.support.Signing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may post: the agreed header, the IP allowlist behind proxies, and the no-secret loopback mode. */
class AccessControlTest {

    private static final String SECRET = UUID.randomUUID().toString();
    /** The custom header's agreed value, made per run: it is a shared secret like the signing one. */
    private static final String AGREED = UUID.randomUUID().toString();
    private static final String JODO_PRODUCTION = "3.6.234.242";
    private static final String ELSEWHERE = "203.0.113.7";

    @TempDir
    Path dataDir;

    @Test
    void theAgreedCustomHeaderIsRequired() {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of(
                "bridge.webhook.secret", SECRET,
                "bridge.webhook.custom-header.name", "X-School-Token",
                "bridge.webhook.custom-header.value", AGREED))) {
            String missing = Samples.freshId();
            assertRefused(post(bridge, missing, Map.of()), 401, "missing_header");
            String wrong = Samples.freshId();
            // The agreed value with its first character changed (in case only, when that is a letter).
            String notAgreed = "A" + AGREED.substring(1);
            assertRefused(post(bridge, wrong, Map.of("X-School-Token", notAgreed)), 401, "invalid_header");
            String twice = Samples.freshId();
            byte[] body = envelope(twice);
            HttpResponse<String> sentTwice = bridge.post("/webhooks/jodo", body, Map.of("Content-Type",
                    "application/json", "X-Jodo-Signature", Signing.sign(SECRET, body), "X-School-Token",
                    AGREED), Map.of("X-School-Token", AGREED));
            assertRefused(sentTwice, 401, "invalid_header");
            assertThat(Samples.tree(sentTwice.body()).path("message").asText()).contains("sent 2 times");
            String right = Samples.freshId();
            assertThat(post(bridge, right, Map.of("X-School-Token", AGREED)).statusCode()).isEqualTo(202);

            assertThat(bridge.inboxRows(missing) + bridge.inboxRows(wrong) + bridge.inboxRows(twice)).isZero();
            assertThat(bridge.inboxRows(right)).isEqualTo(1);
        }
    }

    @Test
    void theAllowlistUsesTheAddressATrustedProxyForwards() {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of(
                "bridge.webhook.secret", SECRET,
                "bridge.webhook.allowed-ips", JODO_PRODUCTION + ",13.232.0.0/16",
                "bridge.webhook.trusted-proxies", "127.0.0.1"))) {
            String fromJodo = Samples.freshId();
            assertThat(post(bridge, fromJodo, Map.of("X-Forwarded-For", JODO_PRODUCTION)).statusCode()).isEqualTo(202);
            assertThat(bridge.jdbc().queryForObject("SELECT remote_address FROM inbox_event WHERE event_id = ?",
                    String.class, fromJodo)).isEqualTo(JODO_PRODUCTION);

            String fromCidr = Samples.freshId();
            assertThat(post(bridge, fromCidr, Map.of("X-Forwarded-For", "13.232.24.175")).statusCode()).isEqualTo(202);

            String elsewhere = Samples.freshId();
            assertRefused(post(bridge, elsewhere, Map.of("X-Forwarded-For", ELSEWHERE)), 403, "ip_not_allowed");

            // A client cannot claim Jodo's address: the proxy appends the real one, and that is what counts.
            String spoofed = Samples.freshId();
            assertRefused(post(bridge, spoofed, Map.of("X-Forwarded-For", JODO_PRODUCTION + ", " + ELSEWHERE)),
                    403, "ip_not_allowed");
            assertThat(bridge.inboxRows(elsewhere) + bridge.inboxRows(spoofed)).isZero();
        }
    }

    @Test
    void forwardedForIsIgnoredFromAnUntrustedPeer() {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of(
                "bridge.webhook.secret", SECRET,
                "bridge.webhook.allowed-ips", JODO_PRODUCTION))) {
            String id = Samples.freshId();
            assertRefused(post(bridge, id, Map.of("X-Forwarded-For", JODO_PRODUCTION)), 403, "ip_not_allowed");
            assertThat(bridge.inboxRows(id)).isZero();
        }
    }

    @Test
    void withoutASecretUnsignedWebhooksAreTakenFromLoopbackOnly() {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of(
                "bridge.webhook.trusted-proxies", "127.0.0.1"))) {
            String local = Samples.freshId();
            HttpResponse<String> fromLoopback = bridge.postWebhook(envelope(local), null);
            assertThat(fromLoopback.statusCode()).isEqualTo(202);

            String remote = Samples.freshId();
            HttpResponse<String> fromElsewhere = bridge.post("/webhooks/jodo", envelope(remote), Map.of(
                    "Content-Type", "application/json", "X-Forwarded-For", ELSEWHERE));
            assertRefused(fromElsewhere, 403, "loopback_only");
            assertThat(bridge.inboxRows(remote)).isZero();
        }
    }

    /** A local reverse proxy without trusted-proxies makes every outside client look like loopback. */
    @Test
    void withoutASecretNothingThatCameThroughAProxyIsTaken() {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of())) {
            for (Map<String, String> proxied : List.of(Map.of("X-Forwarded-For", ELSEWHERE),
                    Map.of("X-Forwarded-For", "127.0.0.1"), Map.of("Forwarded", "for=" + ELSEWHERE + ";proto=https"))) {
                String id = Samples.freshId();
                Map<String, String> headers = new LinkedHashMap<>(proxied);
                headers.put("Content-Type", "application/json");
                HttpResponse<String> answer = bridge.post("/webhooks/jodo", envelope(id), headers);
                assertRefused(answer, 403, "loopback_only");
                assertThat(answer.body()).contains("proxy");
                assertThat(bridge.inboxRows(id)).isZero();
            }
        }
    }

    private static HttpResponse<String> post(BridgeInstance bridge, String eventId, Map<String, String> extra) {
        byte[] body = envelope(eventId);
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.put("Content-Type", "application/json");
        headers.put("X-Jodo-Signature", Signing.sign(SECRET, body));
        return bridge.post("/webhooks/jodo", body, headers);
    }

    private static byte[] envelope(String eventId) {
        return Samples.envelope(eventId, "masterdata.student.registered", "{\"jodo_student_id\":\"student_1\"}");
    }
}
