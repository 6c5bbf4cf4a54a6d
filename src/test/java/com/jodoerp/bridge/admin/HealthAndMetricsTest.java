package com.jodoerp.bridge.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.PackagedBridge;
import com.jodoerp.bridge.support.Samples;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** What a monitoring system sees: health with the delivery backlog, and Prometheus metrics per family and target. */
@ExtendWith(OutputCaptureExtension.class)
class HealthAndMetricsTest {

    @TempDir
    Path dataDir;

    @Test
    void healthAndMetricsReportTheWorkBehindThe202s() {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of(
                "bridge.admin.username", OperatorsTest.USER,
                "bridge.admin.password", OperatorsTest.PASSWORD))) {
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
            assertThat(health.at("/components/camelHealth/status").asText()).isEqualTo("UP");
            assertThat(health.at("/components/deliveries/details/deadLetters").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(health.at("/components/deliveries/details/oldestUndeliveredSeconds").isNumber()).isTrue();
            // No day reconciled yet (the first check is a minute after the start): none named, not "null".
            assertThat(health.at("/components/reconciliation/status").asText()).isEqualTo("UP");
            assertThat(health.at("/components/reconciliation/details").has("lastDay")).isFalse();

            String metrics = bridge.admin("GET", "/actuator/prometheus", null, null, null).body();
            assertThat(metrics).contains("bridge_webhooks_total{outcome=\"accepted\"}");
            assertThat(metrics).contains("bridge_dispatched_total{family=\"flex\",outcome=\"ROUTED\"}");
            assertThat(metrics).contains("bridge_deliveries_total{family=\"flex\",outcome=\"delivered\",target=\"outbox\"}");
            assertThat(metrics).contains("bridge_delivery_lag_seconds_count");
            assertThat(metrics).contains("bridge_dead_letters");
            // Camel's own: per route, through camel-micrometer.
            assertThat(metrics).containsPattern(
                    "camel_exchanges_succeeded_total\\{[^}]*routeId=\"route-jodo-event\"[^}]*\\} [1-9]")
                    .contains("camel_routes_running_routes");
            assertThat(metrics).contains("bridge_stuck_work{kind=\"delivery\"} 0.0")
                    .contains("bridge_stuck_work{kind=\"event\"} 0.0");
        }
    }

    /**
     * Work that stays due without being attempted (here: the dispatch and delivery routes stopped, as a fault that
     * fails every batch would leave it) is flagged by health, the metric and the ops page's API once it has waited
     * longer than twice its claim lease.
     */
    @Test
    void workDueForLongerThanTwiceItsLeaseIsFlaggedAsStuck() throws Exception {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of(
                "bridge.admin.username", OperatorsTest.USER,
                "bridge.admin.password", OperatorsTest.PASSWORD,
                "bridge.dispatch.claim-lease", "3s",
                "bridge.delivery.claim-lease", "3s"))) {
            CamelContext camel = bridge.bean(CamelContext.class);
            camel.getRouteController().stopRoute("dispatch-stored-events");
            AutoCloseable deliveryHeld = bridge.holdDelivery();
            String waiting = Samples.freshId();
            String undelivered = Samples.freshId();
            bridge.postWebhook(Samples.withEventId("flex.instalment.debited", waiting), null);
            bridge.postWebhook(Samples.withEventId("direct.payment.added", undelivered), null);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            bridge.jdbc().update("""
                    INSERT INTO delivery (event_id, target, state, attempts, budget_attempts, next_attempt_at,
                                          created_at, retry_since)
                    VALUES (?, 'outbox', 'PENDING', 0, 0, ?, ?, ?)""", undelivered, now, now, now);
            bridge.jdbc().update("UPDATE inbox_event SET dispatch_state = 'ROUTED' WHERE event_id = ?", undelivered);

            assertThat(stuck(bridge)).isEqualTo(Map.of("deliveries", 0, "events", 0));
            await().atMost(Duration.ofSeconds(20)).until(() -> stuck(bridge).equals(Map.of("deliveries", 1,
                    "events", 1)));

            JsonNode health = Samples.tree(bridge.admin("GET", "/actuator/health", OperatorsTest.USER,
                    OperatorsTest.PASSWORD, null).body());
            assertThat(health.at("/components/deliveries/details/stuckDeliveries").asLong()).isEqualTo(1);
            assertThat(health.at("/components/deliveries/details/stuckEvents").asLong()).isEqualTo(1);
            String metrics = bridge.admin("GET", "/actuator/prometheus", null, null, null).body();
            assertThat(metrics).contains("bridge_stuck_work{kind=\"delivery\"} 1.0")
                    .contains("bridge_stuck_work{kind=\"event\"} 1.0");

            // Moving again, the flags clear.
            camel.getRouteController().startRoute("dispatch-stored-events");
            deliveryHeld.close();
            await().atMost(Duration.ofSeconds(20)).until(() -> stuck(bridge).equals(Map.of("deliveries", 0,
                    "events", 0)));
        }
    }

    /**
     * A monitor asking for health while the bridge starts gets 503 until it is up, and the log does not fill with
     * Camel's probe warnings, two per call, saying its context "is shutting down" (its words for not started yet).
     */
    @Test
    void healthAskedWhileTheBridgeStartsAlarmsNoOneInTheLog(CapturedOutput output) throws IOException {
        int port = PackagedBridge.freePort();
        List<Integer> answers = new CopyOnWriteArrayList<>();
        String startUpLog;
        ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor();
        try {
            monitor.scheduleWithFixedDelay(() -> answers.add(PackagedBridge.healthStatus(port)), 0, 10,
                    TimeUnit.MILLISECONDS);
            try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of("server.port", String.valueOf(port)))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> answers.contains(200));
                monitor.shutdownNow();
                // Camel says it "is shutting down" once more when the bridge stops, rightly.
                startUpLog = output.getAll();
            }
        } finally {
            monitor.shutdownNow();
        }
        assertThat(answers).as("health asked while starting").contains(503);
        assertThat(startUpLog).doesNotContain("Probe in group").doesNotContain("is shutting down");
    }

    private static Map<String, Integer> stuck(BridgeInstance bridge) {
        JsonNode stuck = Samples.tree(bridge.admin("GET", "/admin/stuck", OperatorsTest.USER, OperatorsTest.PASSWORD,
                null).body());
        return Map.of("deliveries", stuck.path("deliveries").asInt(), "events", stuck.path("events").asInt());
    }
}
