package com.jodoerp.bridge.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules and the Grafana dashboard in deploy/: promtool accepts the rules and their unit tests pass, and
 * every metric the rules and the dashboard query is one the bridge really exposes (a renamed metric would
 * otherwise leave an alert that can never fire).
 */
class ShippedMonitoringTest {

    private static final Path RULES = Path.of("deploy/prometheus/jodo-erp-bridge-alerts.yml");
    private static final Path RULE_TESTS = Path.of("deploy/prometheus/jodo-erp-bridge-alerts.test.yml");
    private static final Path DASHBOARD = Path.of("deploy/grafana/jodo-erp-bridge.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:bridge|camel|jvm|process)_[a-z_]+)\\b");

    @TempDir
    Path work;

    @Test
    void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(promtool) && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("promtool (Debian's prometheus package) must be on the CI machine; .ci/run installs it");
        }
        Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool is not installed");
        assertThat(run(promtool.toString(), "check", "rules", RULES.getFileName().toString())).contains("SUCCESS: 9 rules found");
        assertThat(run(promtool.toString(), "test", "rules", RULE_TESTS.getFileName().toString())).contains("SUCCESS");
    }

    @Test
    void everyMetricTheRulesAndTheDashboardQueryIsExposed() throws Exception {
        JsonNode dashboard = Samples.tree(Files.readString(DASHBOARD));
        List<String> expressions = new ArrayList<>();
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText()));
        }
        assertThat(dashboard.path("uid").asText()).isEqualTo("jodo-erp-bridge");
        Set<String> queried = metrics(String.join("\n", expressions) + "\n" + Files.readString(RULES));
        assertThat(queried).contains("bridge_dead_letters", "bridge_deliveries_total", "camel_exchanges_total");

        try (BridgeInstance bridge = BridgeInstance.start(work.resolve("data"), java.util.Map.of())) {
            String id = Samples.freshId();
            bridge.postWebhook(Samples.withEventId("direct.payment.added", id), null);
            await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "outbox")));
            String scraped = bridge.admin("GET", "/actuator/prometheus", null, null, null).body();
            Set<String> exposed = scraped.lines().filter(line -> !line.startsWith("#"))
                    .map(line -> line.replaceFirst("[{ ].*", "")).collect(Collectors.toCollection(TreeSet::new));
            // Exposed once a target has been reconciled (absent before: no run is not "no differences");
            // ReconciliationContract and BooksReconciliationTest scrape them after a run.
            exposed.add("bridge_reconciliation_differences");
            exposed.add("bridge_reconciliation_erp_unreadable");
            assertThat(queried).allSatisfy(metric -> assertThat(exposed).as("exposed metrics").contains(metric));
        }
    }

    private static Set<String> metrics(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(RULES.getParent().toFile()).redirectErrorStream(true)
                .start();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(said).isZero();
        return said;
    }
}
