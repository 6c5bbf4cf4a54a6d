package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.FrappeServer;
import com.jodoerp.bridge.support.Samples;
import com.jodoerp.bridge.support.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A school that keeps every student in its books books a Pay order (a page, a link or an order, which names no Jodo
 * student) to the student its payer names, in ERPNext and in Tally, when its mapping says {@code pay-orders-party:
 * payer}; other receipts are booked as before, and a Pay order whose payer names no student still goes to walk-in.
 */
class PayOrderPartyTest {

    @TempDir
    Path dataDir;

    @Test
    void aPayOrderIsBookedToTheStudentItsPayerNames() throws Exception {
        try (FrappeServer frappe = new FrappeServer();
             TallyServer tally = new TallyServer("Sunrise Public School", Set.of("Tuition Fees", "Transport Fees",
                     "Fee Income", "Cash", "HDFC Bank", "Jodo Settlement"));
             BridgeInstance bridge = BridgeInstance.start(dataDir.resolve("data"), Map.ofEntries(
                     Map.entry("bridge.targets.outbox.enabled", "false"),
                     Map.entry("bridge.targets.erpnext.transport", "erpnext"),
                     Map.entry("bridge.targets.erpnext.families", "*"),
                     Map.entry("bridge.targets.erpnext.options.url", frappe.url()),
                     Map.entry("bridge.targets.erpnext.options.api-key", FrappeServer.KEY),
                     Map.entry("bridge.targets.erpnext.options.api-secret", FrappeServer.SECRET),
                     Map.entry("bridge.targets.erpnext.options.mapping", payerParty("erpnext.yaml", "payer")),
                     Map.entry("bridge.targets.tally.transport", "tally"),
                     Map.entry("bridge.targets.tally.families", "*"),
                     Map.entry("bridge.targets.tally.options.url", tally.url()),
                     Map.entry("bridge.targets.tally.options.mapping", payerParty("tally.yaml", "payer"))))) {
            String page = post(bridge, "page.payment.debited", body -> body);
            String anonymous = post(bridge, "page.payment.debited", body -> body
                    .replace("\"order_id\": \"order_12345\"", "\"order_id\": \"order_anonymous\"")
                    .replace("\"identifier\": \"any_ref_id\",", "")
                    .replace("\"custom_identifier\": \"cust_1234\",", ""));
            String direct = post(bridge, "direct.payment.added", body -> body);
            await().atMost(Duration.ofSeconds(30)).until(() -> List.of(page, anonymous, direct).stream().allMatch(id ->
                    "DELIVERED".equals(bridge.deliveryState(id, "erpnext"))
                            && "DELIVERED".equals(bridge.deliveryState(id, "tally"))));

            // ERPNext names the party by the student's identifier (party-field), Tally by its custom identifier.
            assertThat(frappe.entriesFor("order_12345")).singleElement()
                    .satisfies(entry -> assertThat(entry.path("party").asText()).isEqualTo("any_ref_id"));
            assertThat(tally.voucher("jodo-order_12345").party()).isEqualTo("cust_1234");
            assertThat(frappe.entriesFor("order_anonymous")).singleElement()
                    .satisfies(entry -> assertThat(entry.path("party").asText()).isEqualTo("Walk-in Payer"));
            assertThat(tally.voucher("jodo-order_anonymous").party()).isEqualTo("Walk-in Payer");
            assertThat(frappe.entriesFor("pay_7f3c21a9")).singleElement()
                    .satisfies(entry -> assertThat(entry.path("party").asText()).isEqualTo("ENR-2024-0457"));
            assertThat(tally.voucher("jodo-pay_7f3c21a9").party()).isEqualTo("ADM/0457");
        }
    }

    @Test
    void aValueThatIsNeitherStopsStartUpNamingTheKey() throws Exception {
        assertThatThrownBy(() -> BridgeInstance.start(dataDir.resolve("data"), Map.of(
                "bridge.targets.outbox.enabled", "false",
                "bridge.targets.tally.transport", "tally",
                "bridge.targets.tally.families", "*",
                "bridge.targets.tally.options.url", "http://127.0.0.1:9",
                "bridge.targets.tally.options.mapping", payerParty("tally.yaml", "student"))).close())
                .hasStackTraceContaining("bridge.targets.tally.options.mapping")
                .hasStackTraceContaining("pay-orders-party must be walk-in or payer, not 'student'");
    }

    /** The shipped mapping {@code file} with {@code pay-orders-party} set to {@code value}. */
    private String payerParty(String file, String value) throws IOException {
        String shipped = Files.readString(Path.of("config", file));
        assertThat(shipped).contains("pay-orders-party: walk-in");
        Path mapping = dataDir.resolve(file);
        Files.writeString(mapping, shipped.replace("pay-orders-party: walk-in", "pay-orders-party: " + value));
        return mapping.toString();
    }

    private static String post(BridgeInstance bridge, String event, UnaryOperator<String> change) {
        String id = Samples.freshId();
        String body = change.apply(new String(Samples.withEventId(event, id), StandardCharsets.UTF_8));
        assertThat(bridge.postWebhook(body.getBytes(StandardCharsets.UTF_8), null).statusCode())
                .isEqualTo(202);
        return id;
    }
}
