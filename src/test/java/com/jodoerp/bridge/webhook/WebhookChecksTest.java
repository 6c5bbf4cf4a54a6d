package com.jodoerp.bridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.jodoerp.bridge.flow.Flow;
import com.jodoerp.bridge.support.DefaultSettings;
import com.jodoerp.bridge.support.Samples;
import com.jodoerp.bridge.support.Signing;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import org.springframework.mock.web.MockHttpServletRequest;

/** The intake's checks one by one, without a server: settings, addresses, signature and envelope. */
class WebhookChecksTest {

    private static final String SECRET = "checks-secret";

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> new ClientAddresses(properties("", List.of("3.6.234.242", "jodo.example.com"),
                List.of()))).hasMessageStartingWith("bridge.webhook.allowed-ips[1]").hasMessageContaining("jodo.example.com");
        assertThatThrownBy(() -> new ClientAddresses(properties("", List.of("3.6.234.242"),
                List.of("10.0.0.0/8", "0.0.0.0/0")))).hasMessageStartingWith("bridge.webhook.trusted-proxies[1]:"
                + " '0.0.0.0/0' trusts every address");
        assertThatThrownBy(() -> new ClientAddresses(properties("", List.of(), List.of("::/0"))))
                .hasMessageStartingWith("bridge.webhook.trusted-proxies[0]: '::/0' trusts every address");
        assertThatThrownBy(() -> settings(Map.of("bridge.webhook.custom-header.name", "X-School-Token")))
                .hasStackTraceContaining("bridge.webhook.custom-header.value");
        assertThatThrownBy(() -> settings(Map.of("bridge.webhook.path", "webhooks")))
                .hasStackTraceContaining("bridge.webhook.path must start with '/'");
        // A trailing '/' would leave Jodo's per-event URLs unserved; the rest the web server's firewall refuses.
        for (String path : List.of("/hooks/jodo/", "/", "/hooks//jodo", "/hooks/../admin", "/hooks/./jodo",
                "/hooks jodo", "/hooks;v=1", "/hooks/%6Aodo")) {
            assertThatThrownBy(() -> settings(Map.of("bridge.webhook.path", path))).as(path)
                    .hasStackTraceContaining("bridge.webhook.path must be segments of letters, digits")
                    .hasStackTraceContaining("got '" + path + "'");
        }
        for (String path : List.of("/webhooks/jodo", "/jodo", "/school-1/jodo.hooks", "/v1/jodo_hooks", "/a/.well")) {
            assertThat(settings(Map.of("bridge.webhook.path", path)).path()).isEqualTo(path);
        }
        assertThatThrownBy(() -> settings(Map.of("bridge.webhook.max-body-size", "10B")))
                .hasStackTraceContaining("bridge.webhook.max-body-size");
        // Room for at least one body of the largest size, and no more than a heap could hold.
        assertThatThrownBy(() -> settings(Map.of("bridge.webhook.max-bodies-in-flight", "512KB")))
                .hasStackTraceContaining("bridge.webhook.max-bodies-in-flight must be between"
                        + " bridge.webhook.max-body-size (1048576B) and 1GB, got 524288B");
        assertThatThrownBy(() -> settings(Map.of("bridge.webhook.max-bodies-in-flight", "2GB")))
                .hasStackTraceContaining("bridge.webhook.max-bodies-in-flight must be between");
        assertThat(settings(Map.of("bridge.webhook.max-bodies-in-flight", "1MB")).maxBodiesInFlight())
                .isEqualTo(DataSize.ofMegabytes(1));
        assertThatThrownBy(() -> settings(Map.of("bridge.webhook.body-timeout", "")))
                .hasStackTraceContaining("bridge.webhook.body-timeout is missing");
    }

    @Test
    void forwardedAddressesAreBelievedOnlyFromTrustedProxies() {
        ClientAddresses addresses = new ClientAddresses(properties("", List.of("3.6.234.242"), List.of("10.0.0.0/8")));
        assertThat(addresses.resolve(request("10.1.2.3", "3.6.234.242"))).isEqualTo("3.6.234.242");
        assertThat(addresses.resolve(request("10.1.2.3", "3.6.234.242, 10.9.9.9"))).isEqualTo("3.6.234.242");
        assertThat(addresses.resolve(request("192.0.2.7", "3.6.234.242"))).as("not a trusted proxy")
                .isEqualTo("192.0.2.7");
        assertThat(addresses.resolve(request("10.1.2.3", "not-an-address"))).isEqualTo("10.1.2.3");
        assertThat(addresses.allowed("3.6.234.242")).isTrue();
        assertThat(addresses.allowed("192.0.2.7")).isFalse();
    }

    @Test
    void theSignatureIsTheHmacOfTheExactBytesWithEitherSecret() {
        SignatureVerifier verifier = new SignatureVerifier(properties("previous-secret", List.of(), List.of()));
        byte[] body = Samples.withEventId("flex.instalment.debited", Samples.freshId());
        verifier.verify(exchange(body, Signing.sign(SECRET, body)));
        verifier.verify(exchange(body, Signing.sign("previous-secret", body).toUpperCase()));
        assertThatThrownBy(() -> verifier.verify(exchange(body, Signing.sign("other", body))))
                .isInstanceOf(WebhookRejectedException.class).hasMessageContaining("does not match");
        assertThatThrownBy(() -> verifier.verify(exchange(body, null))).hasMessageContaining("is missing");
    }

    @Test
    void theEnvelopeIsReadIntoTheFlowOrRefusedNamingTheField() {
        EnvelopeValidator validator = new EnvelopeValidator();
        String id = Samples.freshId();
        Exchange exchange = exchange(Samples.withEventId("cred.emi.debited", id), null);
        validator.validate(exchange);
        assertThat(exchange.getProperty(Flow.EVENT_ID)).isEqualTo(id);
        assertThat(exchange.getProperty(Flow.EVENT)).isEqualTo("cred.emi.debited");
        assertThat(exchange.getProperty(Flow.TIMESTAMP, Long.class)).isPositive();
        assertThatThrownBy(() -> validator.validate(exchange(Samples.envelope("../x", "flex.a.b", "{}"), null)))
                .hasMessageContaining("'event_id'");
        byte[] listPayload = ("{\"event_id\":\"a\",\"event\":\"flex.a.b\",\"timestamp\":1,\"version\":\"1.0\","
                + "\"payload\":[]}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> validator.validate(exchange(listPayload, null)))
                .hasMessageContaining("'payload'");
    }

    private static WebhookProperties properties(String previous, List<String> allowed, List<String> proxies) {
        Map<String, Object> changes = new HashMap<>(Map.of("bridge.webhook.secret", SECRET,
                "bridge.webhook.previous-secret", previous));
        for (int i = 0; i < allowed.size(); i++) {
            changes.put("bridge.webhook.allowed-ips[" + i + "]", allowed.get(i));
        }
        for (int i = 0; i < proxies.size(); i++) {
            changes.put("bridge.webhook.trusted-proxies[" + i + "]", proxies.get(i));
        }
        return settings(changes);
    }

    private static WebhookProperties settings(Map<String, Object> changes) {
        return DefaultSettings.bind("bridge.webhook", WebhookProperties.class, changes);
    }

    private static MockHttpServletRequest request(String peer, String forwardedFor) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/webhooks/jodo");
        request.setRemoteAddr(peer);
        request.addHeader("X-Forwarded-For", forwardedFor);
        return request;
    }

    private static Exchange exchange(byte[] body, String signature) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(body);
        if (signature != null) {
            exchange.getMessage().setHeader(SignatureVerifier.SIGNATURE_HEADER, signature);
        }
        exchange.setProperty(Flow.REMOTE_ADDRESS, "127.0.0.1");
        return exchange;
    }
}
