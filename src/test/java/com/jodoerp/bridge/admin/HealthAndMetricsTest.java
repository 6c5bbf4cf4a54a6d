package com.jodoerp.bridge.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a monitoring system sees: health with the delivery backlog, and Prometheus metrics per family and target. */
class HealthAndMetricsTest {

    @TempDir
    Path dataDir;

    @Test
    void healthAndMetricsReportTheWorkBehindThe202s() {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of(
                "bridge.admin.username", OperatorsTest.USER,
                "bridge.admin.password", OperatorsTest.PASSWORD,
                "bridge.dispatch.poll-interval", "50ms",
                "bridge.delivery.poll-interval", "50ms"))) {
            String id = Samples.freshId();
            bridge.postWebhook(Samples.withEventId("flex.instalment.debited", id), null);
            bridge.postWebhook(Samples.envelope(Samples.freshId(), "library.book.issued", "{}"), null);
            await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "outbox")));

            HttpResponse<String> open = bridge.admin("GET", "/actuator/health", null, null, null);
            assertThat(open.statusCode()).isEqualTo(200);
            assertThat(Samples.tree(open.body()).path("status").asText()).isEqualTo("UP");

            JsonNode health = Samples.tree(bridge.admin("GET", "/actuator/health", OperatorsTest.USER,
                    OperatorsTest.PASSWORD, null).body());
            assertThat(health.at("/components/db/status").asText()).isEqualTo("UP");
            assertThat(health.at("/components/deliveries/details/deadLetters").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(health.at("/components/deliveries/details/oldestUndeliveredSeconds").isNumber()).isTrue();

            String metrics = bridge.admin("GET", "/actuator/prometheus", null, null, null).body();
            assertThat(metrics).contains("bridge_webhooks_total{outcome=\"accepted\"}");
            assertThat(metrics).contains("bridge_dispatched_total{family=\"flex\",outcome=\"ROUTED\"}");
            assertThat(metrics).contains("bridge_deliveries_total{family=\"flex\",outcome=\"delivered\",target=\"outbox\"}");
            assertThat(metrics).contains("bridge_delivery_lag_seconds_count");
            assertThat(metrics).contains("bridge_dead_letters");
        }
    }
}
