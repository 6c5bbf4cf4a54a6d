package com.jodoerp.bridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.MovableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A flood of bad requests writes a bounded number of log lines, and every refusal is still counted. */
@ExtendWith(OutputCaptureExtension.class)
class RefusalLogTest {

    @TempDir
    Path dataDir;

    @Test
    void aFloodOfRefusalsWritesOneLinePerReasonAMinute(CapturedOutput output) throws Exception {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of("bridge.webhook.secret", "flood-secret"))) {
            ExecutorService senders = Executors.newFixedThreadPool(8);
            for (int i = 0; i < 3_000; i++) {
                int kind = i % 3;
                senders.submit(() -> bridge.post("/webhooks/jodo", "{not json".getBytes(StandardCharsets.UTF_8),
                        kind == 0 ? Map.of("Content-Type", "application/json", "X-Jodo-Signature", "00")
                                : kind == 1 ? Map.of("Content-Type", "text/plain")
                                : Map.of("Content-Type", "application/json")));
            }
            senders.shutdown();
            assertThat(senders.awaitTermination(120, TimeUnit.SECONDS)).isTrue();

            long lines = output.getAll().lines().filter(line -> line.contains("Refused webhook")).count();
            assertThat(lines).isBetween(1L, 3L);
            String metrics = bridge.admin("GET", "/actuator/prometheus", null, null, null).body();
            assertThat(metrics).contains("bridge_webhooks_total{outcome=\"invalid_signature\"} 1000.0")
                    .contains("bridge_webhooks_total{outcome=\"unsupported_media_type\"} 1000.0")
                    .contains("bridge_webhooks_total{outcome=\"missing_signature\"} 1000.0");
        }
    }

    /**
     * Requests for a method or a path the bridge does not serve (a scanner, a browser on the webhook URL) are answered
     * and counted, not logged: Spring wrote a warning for each.
     */
    @Test
    void aFloodOfRequestsForWhatIsNotServedWritesNoLineEach(CapturedOutput output) {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of())) {
            // The first request starts Spring's dispatcher, in lines of its own.
            bridge.admin("GET", "/actuator/health", null, null, null);
            long linesBefore = output.getAll().lines().count();
            for (int i = 0; i < 100; i++) {
                assertThat(bridge.admin("GET", "/webhooks/jodo", null, null, null).statusCode()).isEqualTo(405);
                assertThat(bridge.admin("DELETE", "/webhooks/jodo/flex.instalment.debited", null, null, null)
                        .statusCode()).isEqualTo(405);
                assertThat(bridge.admin("PATCH", "/webhooks/jodo", null, null, "{}").statusCode()).isEqualTo(405);
                assertThat(bridge.admin("GET", "/wp-login.php", null, null, null).statusCode()).isEqualTo(404);
            }

            // Not a line per request (there were 400 of them); what else the bridge logs meanwhile may well be a few.
            List<String> lines = output.getAll().lines().skip(linesBefore).toList();
            assertThat(lines).hasSizeLessThan(20).noneMatch(line -> line.contains("not supported")
                    || line.contains("/wp-login.php") || line.contains("Resolved ["));
            String metrics = bridge.admin("GET", "/actuator/prometheus", null, null, null).body();
            assertThat(metrics).containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"GET\""
                    + "[^}]*status=\"405\"[^}]*\\} 100");
        }
    }

    @Test
    void theNextLineSaysHowManyWereLeftOut(CapturedOutput output) {
        MovableClock clock = new MovableClock();
        RefusalLog log = new RefusalLog(clock);
        for (int i = 0; i < 500; i++) {
            log.refused("192.0.2.1", "invalid_json", "body is not valid JSON at line 1, column 2");
        }
        clock.advance(Duration.ofSeconds(61));
        log.refused("192.0.2.1", "invalid_json", "body is not valid JSON at line 1, column 2");

        assertThat(output.getAll().lines().filter(line -> line.contains("Refused webhook")).toList()).hasSize(2)
                .last().asString().contains("499 more refused for this reason in the minute before were not logged");
    }
}
