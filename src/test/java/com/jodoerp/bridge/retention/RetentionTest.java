package com.jodoerp.bridge.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.support.Browser;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Folders;
import com.jodoerp.bridge.support.ErpHttpServer;
import com.jodoerp.bridge.support.ErpHttpServer.Answer;
import com.jodoerp.bridge.support.Samples;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.jdbc.core.ConnectionCallback;

/** Finished events go after the retention period; dead letters stay; event ids outlive them by at least a week. */
class RetentionTest {

    @TempDir
    Path dataDir;

    @Test
    void oldFinishedEventsArePrunedAndEverythingElseKept() throws IOException {
        // Cred events also go to an ERP that is down for good: after one attempt their delivery is a dead letter.
        try (ErpHttpServer erp = new ErpHttpServer(); BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of(
                "bridge.targets.erp.transport", "rest",
                "bridge.targets.erp.families", "cred",
                "bridge.targets.erp.options.url", erp.url(),
                "bridge.delivery.retry.max-attempts", "1",
                "bridge.retention.delivered", "1d",
                "bridge.retention.dedup-keys", "1d",
                "bridge.retention.interval", "300ms",
                "bridge.retention.batch-size", "2"))) {
            erp.otherwise(Answer.status(503, "{\"error\":\"maintenance\"}"));
            String threeDaysOld = delivered(bridge, "flex.instalment.debited");
            String tenDaysOld = delivered(bridge, "pay.payment.settled");
            String recent = delivered(bridge, "direct.payment.added");
            String parked = Samples.freshId();
            bridge.postWebhook(Samples.envelope(parked, "library.book.issued", "{}"), null);
            await().atMost(Duration.ofSeconds(30)).until(() -> "UNROUTED".equals(bridge.dispatchState(parked)));
            String deadLetter = delivered(bridge, "cred.emi.debited");
            await().atMost(Duration.ofSeconds(30)).until(() -> "DEAD".equals(bridge.deliveryState(deadLetter, "erp")));

            age(bridge, threeDaysOld, Duration.ofDays(3));
            age(bridge, tenDaysOld, Duration.ofDays(10));
            age(bridge, parked, Duration.ofDays(30));
            age(bridge, deadLetter, Duration.ofDays(30));

            await().atMost(Duration.ofSeconds(30)).until(() -> bridge.inboxRows(threeDaysOld) == 0
                    && bridge.inboxRows(tenDaysOld) == 0);
            assertThat(bridge.jdbc().queryForObject("SELECT COUNT(*) FROM delivery WHERE event_id IN (?, ?)",
                    Integer.class, threeDaysOld, tenDaysOld)).isZero();
            assertThat(bridge.jdbc().queryForObject("SELECT COUNT(*) FROM delivery_attempt WHERE event_id IN (?, ?)",
                    Integer.class, threeDaysOld, tenDaysOld)).isZero();
            assertThat(bridge.inboxRows(recent)).isEqualTo(1);
            assertThat(bridge.inboxRows(parked)).as("unrouted events wait for an operator").isEqualTo(1);
            assertThat(bridge.inboxRows(deadLetter)).as("dead letters wait for an operator").isEqualTo(1);
            assertThat(bridge.deliveryState(deadLetter, "erp")).isEqualTo("DEAD");

            // Within a week of receipt the id is still known: Jodo's late retry is a duplicate, not a new event.
            assertThat(bridge.postWebhook(Samples.withEventId("flex.instalment.debited", threeDaysOld), null)
                    .statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> bridge.jdbc().queryForObject(
                    "SELECT COUNT(*) FROM jodo_event_id WHERE message_id = ?", Integer.class, tenDaysOld) == 0);
        }
    }

    /**
     * A payment whose record was pruned stays in the bridge's ledger, but no longer in any target's deliveries: the
     * reconciliation of its day says so (past_retention), rather than leaving the ERP's total above the bridge's
     * without a word. Its neighbour of the same day, received since, is reconciled as usual.
     */
    @Test
    void aDaysPaymentsPastTheRetentionAreNamedInItsReconciliation() throws Exception {
        String password = Samples.freshId();
        LocalDate yesterday = LocalDate.now(ZoneId.of("Asia/Kolkata")).minusDays(1);
        try (BridgeInstance bridge = BridgeInstance.start(dataDir.resolve("data"), Map.of(
                "bridge.retention.delivered", "1d",
                "bridge.retention.interval", "300ms",
                "bridge.admin.username", "ops",
                "bridge.admin.password", password))) {
            List<String> events = new ArrayList<>();
            for (String amount : List.of("1250.50", "4000.00")) {
                String id = Samples.freshId();
                String body = Samples.ofPaymentOn("direct.payment.added", id, "pay_" + id.substring(0, 8), yesterday)
                        .replaceFirst("\"amount\": 5000.0", "\"amount\": " + amount);
                events.add(delivered(bridge, id, body.getBytes(StandardCharsets.UTF_8)));
            }
            age(bridge, events.get(0), Duration.ofDays(3));
            await().atMost(Duration.ofSeconds(30)).until(() -> bridge.inboxRows(events.get(0)) == 0);

            JsonNode report = bridge.reconciliation(yesterday, "ops", password);
            assertThat(report.path("pastRetention")).hasSize(1);
            JsonNode past = report.path("pastRetention").get(0);
            assertThat(past.path("key").asText()).isEqualTo("ADDED");
            assertThat(past.path("count").asInt()).isEqualTo(1);
            assertThat(past.path("amount").decimalValue()).isEqualByComparingTo("1250.50");
            JsonNode payments = report.path("targets").get(0).path("payments");
            assertThat(payments.get(0).path("count").asInt()).isEqualTo(1);
            assertThat(payments.get(0).path("amount").decimalValue()).isEqualByComparingTo("4000.00");
            assertThat(bridge.admin("GET", "/admin/reconciliation?format=csv&date=" + yesterday, "ops", password,
                    null).body()).contains("\r\n" + yesterday + ",,past_retention,ADDED,1,1250.50,");

            Browser.onTab(dataDir.resolve("chromium-profile"), bridge, "ops", password, "tab-recon", (driver, wait) ->
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("recon-past-retention"),
                            "1 payment(s) of this day were received longer ago than the bridge keeps events")));
        }
    }

    /**
     * A body past H2's in-row limit lives in its LOB maps (V13): once its event is pruned, they hold nothing of it.
     * Read back as BLOBs, each body stayed there five minutes after it was read (H2's LOB_TIMEOUT), so a stream of
     * large webhooks grew the file by their size however soon they were pruned.
     */
    @Test
    void aPrunedLargeBodyLeavesNothingInTheStore() {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of(
                "bridge.retention.delivered", "1s",
                "bridge.retention.interval", "300ms"))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String id = Samples.freshId();
                assertThat(bridge.postWebhook(Samples.large(id, 1_000_000), null).statusCode()).isEqualTo(202);
                ids.add(id);
            }
            assertThat(storedLargeValues(bridge)).isPositive();

            await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> bridge.inboxRows(id) == 0));
            assertThat(Folders.files(dataDir.resolve("erp-outbox")).stream().map(file -> file.getFileName().toString()))
                    .containsAll(ids.stream().map(id -> id + ".json").toList());
            await().atMost(Duration.ofSeconds(30)).until(() -> storedLargeValues(bridge) == 0);
        }
    }

    /** Blocks in the map where H2 keeps the bytes of its large values ("lobData"), read off the bridge's own store. */
    private static long storedLargeValues(BridgeInstance bridge) {
        return bridge.jdbc().execute((ConnectionCallback<Long>) connection -> {
            SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
            return session.getDatabase().getStore().getMvStore().openMap("lobData").sizeAsLong();
        });
    }

    private static String delivered(BridgeInstance bridge, String event) {
        String id = Samples.freshId();
        return delivered(bridge, id, Samples.withEventId(event, id));
    }

    /** Posts {@code body} (event {@code id}) and waits for the outbox to have it; returns {@code id}. */
    private static String delivered(BridgeInstance bridge, String id, byte[] body) {
        assertThat(bridge.postWebhook(body, null).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "outbox")));
        return id;
    }

    /** Moves an event's receipt (and its id's) back in time, as if it had come in {@code age} ago. */
    private static void age(BridgeInstance bridge, String id, Duration age) {
        OffsetDateTime then = OffsetDateTime.ofInstant(Instant.now().minus(age), ZoneOffset.UTC);
        bridge.jdbc().update("UPDATE inbox_event SET received_at = ? WHERE event_id = ?", then, id);
        bridge.jdbc().update("UPDATE jodo_event_id SET created_at = ? WHERE message_id = ?", then, id);
    }
}
