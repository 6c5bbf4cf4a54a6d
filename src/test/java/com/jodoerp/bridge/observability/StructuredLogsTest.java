package com.jodoerp.bridge.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpHttpServer;
import com.jodoerp.bridge.support.ErpHttpServer.Answer;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Structured logs as the README documents them (Spring Boot's {@code logging.structured.format.console}): each
 * line a JSON object, and the lines about an event carry its {@code event_id} (and {@code target}) as fields.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsTest {

    @TempDir
    Path work;

    @Test
    void linesAboutAnEventCarryItsIdAndTargetAsFields(CapturedOutput output) throws Exception {
        try (ErpHttpServer erp = new ErpHttpServer()) {
            erp.otherwise(Answer.status(422, "{\"error\":\"unknown student\"}"));
            Map<String, String> settings = ErpTargets.soleTarget("rest", Map.of("url", erp.url()));
            settings.put("logging.structured.format.console", "logstash");
            try (BridgeInstance bridge = BridgeInstance.start(work.resolve("data"), settings)) {
                String refused = Samples.freshId();
                String unknown = Samples.freshId();
                bridge.postWebhook(Samples.withEventId("masterdata.student.registered", refused), null);
                bridge.postWebhook(Samples.envelope(unknown, "library.book.issued", "{}"), null);
                String twoHouses = Samples.freshId();
                String notes = "[{\"key\":\"house\",\"value\":\"Blue\"},{\"key\":\"house\",\"value\":\"Green\"}]";
                bridge.postWebhook(Samples.envelope(twoHouses, "masterdata.student.registered",
                        "{\"student\":{\"notes\":" + notes + "}}"), null);
                await().atMost(Duration.ofSeconds(30)).until(() -> "DEAD".equals(bridge.deliveryState(refused, "erp")));

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    List<JsonNode> lines = jsonLines(output);
                    // The event with repeated note keys goes to the same refusing ERP: its dead letter is its own.
                    assertThat(lines).filteredOn(line -> line.path("message").asText()
                                    .startsWith("Delivery of " + refused + " to erp is a dead letter"))
                            .singleElement().satisfies(line -> {
                                assertThat(line.path("event_id").asText()).isEqualTo(refused);
                                assertThat(line.path("target").asText()).isEqualTo("erp");
                                assertThat(line.path("level").asText()).isEqualTo("WARN");
                            });
                    assertThat(lines).filteredOn(line -> line.path("message").asText().contains("parked: unrouted"))
                            .singleElement().satisfies(line -> {
                                assertThat(line.path("event_id").asText()).isEqualTo(unknown);
                                assertThat(line.has("target")).isFalse();
                            });
                    assertThat(lines).filteredOn(line -> line.path("message").asText().contains("repeats a key"))
                            .singleElement().satisfies(line -> {
                                assertThat(line.path("event_id").asText()).isEqualTo(twoHouses);
                                assertThat(line.path("message").asText()).startsWith("Event " + twoHouses + ": ")
                                        .doesNotContain("Blue").doesNotContain("Green");
                            });
                    // Start-up does not tell operators to hide the admin API description: it is behind the login.
                    assertThat(lines).noneMatch(line -> line.path("logger_name").asText().startsWith("org.springdoc"));
                });
            }
        }
    }

    private static List<JsonNode> jsonLines(CapturedOutput output) {
        return output.getOut().lines().filter(line -> line.startsWith("{")).map(Samples::tree).toList();
    }
}
