package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.FrappeServer;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A debit whose Payment Entry ERPNext is still saving when the bank's bounce of it reaches ERPNext: the bounce finds
 * no entry and books nothing, then the debit's entry is made. The bounce is delivered again once the debit is, and
 * cancels that entry: the books end as Jodo's last word on the payment says, whichever landed first.
 */
class BookingAfterItsUndoingTest {

    @TempDir
    Path dataDir;

    @Test
    void aBounceDeliveredWhileItsDebitWasBeingBookedCancelsTheEntryOnceTheDebitLands() throws Exception {
        try (FrappeServer frappe = new FrappeServer()) {
            Map<String, String> settings = ErpTargets.soleTarget("erpnext", Map.of("url", frappe.url(),
                    "api-key", FrappeServer.KEY, "api-secret", FrappeServer.SECRET, "mapping", "config/erpnext.yaml"));
            settings.put("bridge.delivery.slow-attempt", "1s");
            settings.put("bridge.delivery.retry.initial-backoff", "100ms");
            settings.put("bridge.delivery.retry.max-backoff", "200ms");
            try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings)) {
                String payment = "pay_" + Samples.freshId().substring(0, 8);
                frappe.holdInserts();
                String debit = post(bridge, "flex.instalment.debited", payment);
                await().atMost(Duration.ofSeconds(20)).until(() -> frappe.requests().contains("POST"));

                String bounce = post(bridge, "flex.instalment.bounced", payment);
                await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(bridge.deliveryState(bounce,
                        "erp")));
                assertThat(frappe.entriesFor(payment)).as("the bounce found no entry to cancel").isEmpty();

                frappe.answerInserts();
                await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(bridge.deliveryState(debit,
                        "erp")));
                await().atMost(Duration.ofSeconds(20)).until(() -> !frappe.entriesFor(payment).isEmpty()
                        && frappe.entriesFor(payment).stream().allMatch(entry -> entry.path("docstatus").asInt() == 2));
                List<ObjectNode> entries = frappe.entriesFor(payment);
                assertThat(entries).as("entries for " + payment).hasSize(1);
                assertThat(entries.get(0).path("docstatus").asInt()).as("the money never came").isEqualTo(2);
                // Its second delivery is recorded once ERPNext has answered the cancel.
                await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(bridge.deliveryState(bounce,
                        "erp")));
                assertThat(bridge.jdbc().queryForObject("SELECT COUNT(*) FROM delivery_attempt WHERE event_id = ?"
                        + " AND target = 'erp' AND outcome = 'DELIVERED'", Integer.class, bounce))
                        .as("the bounce's deliveries").isEqualTo(2);
            }
        }
    }

    /**
     * Two records of one payment looked up before either entry was saved: both ask ERPNext to create it, and the
     * second is refused for the unique Jodo Reference (Frappe's UniqueValidationError, a 417). That refusal means
     * "booked meanwhile": looked up again, the entry is found, and cancelled when Jodo's last word says so; never a
     * dead letter, never a second entry.
     */
    @Test
    void twoRecordsOfAPaymentCreatingItsEntryAtOnceEndAsJodosLastWordSays() throws Exception {
        Map<String, Integer> expected = Map.of("direct.payment.cancelled", 2, "flex.instalment.settled", 1);
        try (FrappeServer frappe = new FrappeServer()) {
            Map<String, String> settings = ErpTargets.soleTarget("erpnext", Map.of("url", frappe.url(),
                    "api-key", FrappeServer.KEY, "api-secret", FrappeServer.SECRET, "mapping", "config/erpnext.yaml"));
            settings.put("bridge.delivery.retry.initial-backoff", "100ms");
            settings.put("bridge.delivery.retry.max-backoff", "200ms");
            try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings)) {
                for (String second : expected.keySet()) {
                    String first = second.startsWith("direct.") ? "direct.payment.added" : "flex.instalment.debited";
                    String payment = "pay_" + Samples.freshId().substring(0, 8);
                    frappe.holdInserts();
                    long before = posts(frappe);
                    String booking = post(bridge, first, payment);
                    await().atMost(Duration.ofSeconds(20)).until(() -> posts(frappe) == before + 1);
                    String next = post(bridge, second, payment);
                    await().atMost(Duration.ofSeconds(20)).until(() -> posts(frappe) == before + 2);
                    frappe.answerInserts();

                    await().atMost(Duration.ofSeconds(20)).until(() -> List.of(booking, next).stream()
                            .allMatch(id -> List.of("DELIVERED", "DEAD").contains(bridge.deliveryState(id, "erp"))));
                    assertThat(List.of(bridge.deliveryState(booking, "erp"), bridge.deliveryState(next, "erp")))
                            .as(first + " then " + second).containsOnly("DELIVERED");
                    await().atMost(Duration.ofSeconds(20)).until(() -> frappe.entriesFor(payment).stream()
                            .allMatch(entry -> entry.path("docstatus").asInt() == expected.get(second)));
                    assertThat(frappe.entriesFor(payment)).as("entries for " + payment).hasSize(1);
                }
            }
        }
    }

    private static long posts(FrappeServer frappe) {
        return frappe.requests().stream().filter("POST"::equals).count();
    }

    private static String post(BridgeInstance bridge, String event, String payment) {
        String id = Samples.freshId();
        String body = new String(Samples.withEventId(event, id), StandardCharsets.UTF_8)
                .replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": \"" + payment + "\"");
        assertThat(bridge.postWebhook(body.getBytes(StandardCharsets.UTF_8), null).statusCode()).isEqualTo(202);
        return id;
    }
}
