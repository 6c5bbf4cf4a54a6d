package com.jodoerp.bridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Browser;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Reconciliation against a real ERP database: a day of payments is delivered, then the ERP is changed behind the
 * bridge's back (one amount altered, one payment deleted, one unknown payment added), and the report (the API, its
 * CSV, the daily file, the metric and the ops page) names exactly those three, with the right totals.
 */
abstract class ReconciliationContract {

    private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
    private static final String OPS = "ops";
    private static final String PASSWORD = "reconcile-ops-1";

    @TempDir
    Path dataDir;

    /** The ERP database's JDBC URL, user and dialect (routes/examples/jdbc/<dialect>). */
    abstract String[] erpDatabase();

    /** The settings of the bridge's own store: the embedded default unless a variant says otherwise. */
    Map<String, String> bridgeStore() {
        return Map.of();
    }

    @Test
    void theReportNamesExactlyWhatTheErpChanged() throws Exception {
        String[] erpDatabase = erpDatabase();
        JdbcTemplate erp = new JdbcTemplate(new DriverManagerDataSource(erpDatabase[0], erpDatabase[1], ""));
        ErpTargets.createSchema(erp, erpDatabase[2]);
        Map<String, String> settings = ErpTargets.soleTarget("jdbc", Map.of("url", erpDatabase[0],
                "username", erpDatabase[1], "statements", "routes/examples/jdbc/" + erpDatabase[2],
                "reconciliation", "routes/examples/jdbc/" + erpDatabase[2] + "/reconciliation.sql"));
        settings.put("bridge.reconciliation.time", "00:00");
        settings.put("bridge.reconciliation.check-interval", "200ms");
        settings.put("bridge.reconciliation.folder", dataDir.resolve("reconciliation").toString());
        settings.put("bridge.admin.username", OPS);
        settings.put("bridge.admin.password", PASSWORD);
        settings.putAll(bridgeStore());
        LocalDate day = LocalDate.now(KOLKATA).minusDays(1);

        try (BridgeInstance bridge = BridgeInstance.start(dataDir.resolve("data"), settings)) {
            LocalDate firstArrival = LocalDate.now(KOLKATA);
            List<String> payments = new ArrayList<>();
            List<String> events = new ArrayList<>();
            for (String sample : List.of("direct.payment.added", "direct.payment.added", "direct.payment.added",
                    "pay.payment.settled", "flex.instalment.debited")) {
                String id = Samples.freshId();
                String payment = "pay_" + id.substring(0, 8);
                payments.add(payment);
                events.add(id);
                String body = Samples.ofPaymentOn(sample, id, payment, day);
                assertThat(bridge.postWebhook(body.getBytes(StandardCharsets.UTF_8), null).statusCode()).isEqualTo(202);
            }
            // Instalments debited on the day that bounce later, one debit arriving before its bounce and one after:
            // the bounce says no paid_at, so the ERP keeps each payment on its debit's day, bounced, and so must the
            // report, leaving nothing missing on the bounce's day.
            String bounceBody = null;
            for (List<String> order : List.of(List.of("flex.instalment.debited", "flex.instalment.bounced"),
                    List.of("flex.instalment.bounced", "flex.instalment.debited"))) {
                String bounced = "pay_" + Samples.freshId().substring(0, 8);
                for (String event : order) {
                    String id = Samples.freshId();
                    events.add(id);
                    String body = Samples.ofPaymentOn(event, id, bounced, day);
                    bounceBody = event.endsWith("bounced") ? body : bounceBody;
                    assertThat(bridge.postWebhook(body.getBytes(StandardCharsets.UTF_8), null).statusCode())
                            .isEqualTo(202);
                    await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(bridge.deliveryState(id,
                            "erp")));
                }
            }
            LocalDate bounceDay = LocalDate.ofInstant(Instant.ofEpochSecond(Samples.tree(bounceBody).path("timestamp")
                    .asLong()), KOLKATA);
            assertThat(bounceDay).isNotEqualTo(day);
            await().atMost(Duration.ofSeconds(30)).until(() -> events.stream()
                    .allMatch(id -> "DELIVERED".equals(bridge.deliveryState(id, "erp"))));
            BigDecimal delivered = erp.queryForObject("SELECT SUM(amount) FROM erp_payment", BigDecimal.class);
            BigDecimal standing = erp.queryForObject("SELECT SUM(amount) FROM erp_payment WHERE status IN"
                    + " ('ADDED', 'UPDATED', 'DEBITED', 'SETTLED')", BigDecimal.class);
            assertThat(standing).isLessThan(delivered);

            // Behind the bridge's back: an amount altered, a payment deleted, a payment the bridge never sent.
            String altered = payments.get(0);
            String deleted = payments.get(1);
            erp.update("UPDATE erp_payment SET amount = amount + 100 WHERE id = ?", altered);
            BigDecimal deletedAmount = erp.queryForObject("SELECT amount FROM erp_payment WHERE id = ?",
                    BigDecimal.class, deleted);
            erp.update("DELETE FROM erp_payment_line WHERE payment_id = ?", deleted);
            erp.update("DELETE FROM erp_payment WHERE id = ?", deleted);
            erp.update("""
                    INSERT INTO erp_payment (id, product, status, status_rank, reversed, amount, paid_at, occurred_at,
                                             event_id)
                    VALUES ('pay_typed_by_hand', 'direct', 'ADDED', 1, FALSE, 750.00, ?, ?, 'hand')""",
                    java.sql.Timestamp.valueOf(day.atTime(12, 0)), java.sql.Timestamp.valueOf(day.atTime(12, 0)));

            JsonNode report = bridge.reconciliation(day, OPS, PASSWORD);
            JsonNode target = report.path("targets").get(0);
            assertThat(target.path("target").asText()).isEqualTo("erp");
            JsonNode view = target.path("erp");
            assertThat(view.path("available").asBoolean()).isTrue();
            assertThat(view.path("bridgeDelivered").decimalValue()).isEqualByComparingTo(delivered);
            assertThat(view.path("erpTotal").decimalValue()).isEqualByComparingTo(delivered.subtract(deletedAmount)
                    .add(new BigDecimal("100")).add(new BigDecimal("750.00")));
            // The money booked leaves the bounced instalments out on both sides.
            assertThat(view.path("bridgeBooked").decimalValue()).isEqualByComparingTo(standing);
            assertThat(view.path("erpBooked").decimalValue()).isEqualByComparingTo(standing.subtract(deletedAmount)
                    .add(new BigDecimal("100")).add(new BigDecimal("750.00")));
            assertThat(view.path("differences").findValuesAsText("kind")).containsExactlyInAnyOrder(
                    "amount_differs", "missing_in_erp", "unknown_to_bridge");
            assertThat(view.path("differences").findValuesAsText("paymentId")).containsExactlyInAnyOrder(
                    altered, deleted, "pay_typed_by_hand");
            assertThat(target.path("payments").get(0).path("count").asInt()).isEqualTo(7);
            assertThat(target.path("paymentsByStatus").findValuesAsText("key")).contains("BOUNCED");
            JsonNode onTheBouncesDay = bridge.reconciliation(bounceDay, OPS, PASSWORD).path("targets").get(0);
            assertThat(onTheBouncesDay.path("payments")).isEmpty();
            assertThat(onTheBouncesDay.path("erp").path("differences")).isEmpty();
            assertThat(target.path("paymentsByFeeComponent").findValuesAsText("key")).contains("TUITION_FEE");

            String csv = bridge.admin("GET", "/admin/reconciliation?format=csv&date=" + day, OPS, PASSWORD, null)
                    .body();
            assertThat(csv.lines().filter(line -> line.contains(",difference,")).toList()).hasSize(3);

            Path file = dataDir.resolve("reconciliation").resolve("reconciliation-" + day + ".csv");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
            Files.delete(file);
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
            assertThat(Files.readAllLines(file).stream().filter(line -> line.contains(",difference,")))
                    .anyMatch(line -> line.contains(altered)).anyMatch(line -> line.contains(deleted))
                    .anyMatch(line -> line.contains("pay_typed_by_hand")).hasSize(3);
            assertThat(bridge.admin("GET", "/actuator/prometheus", null, null, null).body())
                    .contains("bridge_reconciliation_differences{target=\"erp\"} 3.0");

            Browser.onTab(dataDir.resolve("chromium-profile"), bridge, OPS, PASSWORD, "tab-recon", (driver, wait) -> {
                wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr.difference")));
                List<String> shown = driver.findElements(By.cssSelector("tr.difference")).stream()
                        .map(row -> row.getAttribute("data-payment-id")).toList();
                assertThat(shown).containsExactlyInAnyOrder(altered, deleted, "pay_typed_by_hand");
                assertThat(driver.findElement(By.id("recon-badge")).getText()).isEqualTo("3");
                assertThat(driver.findElements(By.cssSelector("#recon-chart .bar"))).hasSize(7);
                // Looked into from the page: the payment as the bridge has it, and where its record went.
                driver.findElement(By.id("recon-details-" + altered)).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail")));
                assertThat(driver.findElement(By.id("detail")).getText()).startsWith("Payment " + altered)
                        .contains("Deciding record: ").contains("erp").contains("DELIVERED");
                // Acted on from the page: the missing payment's delivery is replayed and the ERP has it again.
                driver.findElement(By.id("recon-replay-" + deleted)).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"),
                        "Replayed the delivery of " + deleted));
                await().atMost(Duration.ofSeconds(30)).until(() -> erp.queryForObject(
                        "SELECT COUNT(*) FROM erp_payment WHERE id = ?", Integer.class, deleted) == 1);
            });

            // The ERP's table gone from under the query: the report says the ERP could not be read, naming the
            // query's file and what the database said, not the query's opening comments.
            erp.execute("ALTER TABLE erp_payment RENAME TO erp_payment_away");
            try {
                JsonNode unreadable = bridge.reconciliation(day, OPS, PASSWORD).path("targets").get(0).path("erp");
                assertThat(unreadable.path("available").asBoolean()).isFalse();
                assertThat(unreadable.path("note").asText()).startsWith("the ERP could not be read: ErpQueryRefused: "
                        + "routes/examples/jdbc/" + erpDatabase[2] + "/reconciliation.sql: ").contains("erp_payment");
            } finally {
                erp.execute("ALTER TABLE erp_payment_away RENAME TO erp_payment");
            }

            // Events count on the day they arrived (today; two days, should midnight fall between), by where their
            // delivery stands: all delivered, the replayed one again.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                long deliveredEvents = 0;
                LocalDate lastArrival = LocalDate.now(KOLKATA);
                for (LocalDate arrival = firstArrival; !arrival.isAfter(lastArrival); arrival = arrival.plusDays(1)) {
                    JsonNode arrived = bridge.reconciliation(arrival, OPS, PASSWORD).path("targets").get(0);
                    for (JsonNode tally : arrived.path("events")) {
                        assertThat(tally.path("key").asText()).isEqualTo("DELIVERED");
                        deliveredEvents += tally.path("count").asLong();
                    }
                }
                assertThat(deliveredEvents).isEqualTo(events.size());
            });
        }

        // Restarted: the gauge an alert reads says the latest day's differences again (two, the deleted payment having
        // been replayed), not none until the next day's file.
        try (BridgeInstance again = BridgeInstance.start(dataDir.resolve("data"), settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> again.admin("GET", "/actuator/prometheus", null, null,
                    null).body().contains("bridge_reconciliation_differences{target=\"erp\"} 2.0"));
            assertThat(again.admin("GET", "/actuator/health", OPS, PASSWORD, null).body())
                    .contains("\"lastDay\":\"" + day + "\"");
        }
    }
}
