package com.jodoerp.bridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Browser;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.FrappeServer;
import com.jodoerp.bridge.support.Samples;
import com.jodoerp.bridge.support.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Reconciliation against the books schools keep, ERPNext (a double of Frappe's REST API, FrappeServer) and Tally (a
 * double of its XML server, TallyServer): a day of payments is booked, then the accountant's books are changed
 * behind the bridge's back, and the report reads them back (Frappe's list query, page by page; Tally's collection
 * export) and names exactly what differs, in the books' words.
 */
class BooksReconciliationTest {

    private static final String OPS = "ops";
    private static final String PASSWORD = "reconcile-" + UUID.randomUUID();
    private static final LocalDate DAY = LocalDate.of(2025, 3, 14);
    /** What the direct.payment.cancelled sample says its payment was (the added one says 5000.00). */
    private static final BigDecimal CANCELLED_SAMPLE_AMOUNT = new BigDecimal("5500.00");

    @TempDir
    Path dataDir;

    @Test
    void theReportReadsTheEntriesBackAndNamesExactlyWhatTheAccountantChanged() throws Exception {
        try (FrappeServer frappe = new FrappeServer(); BridgeInstance bridge = start(frappe)) {
            // Eight payments of the day; the last is then cancelled in Jodo (with another amount in the sample): its
            // entry is cancelled, as it should be, and a cancelled entry's amount is no difference.
            List<String> payments = bookADay(bridge, List.of("direct.payment.added", "direct.payment.added",
                    "direct.payment.added", "direct.payment.added", "direct.payment.added", "pay.payment.settled",
                    "flex.instalment.debited", "direct.payment.added"));
            String cancelledInJodo = payments.get(7);
            assertThat(frappe.entriesFor(cancelledInJodo).get(0).path("docstatus").asInt()).isEqualTo(2);
            BigDecimal cancelledGap = frappe.entriesFor(cancelledInJodo).get(0).path("paid_amount").decimalValue()
                    .subtract(CANCELLED_SAMPLE_AMOUNT);

            // Behind the bridge's back: an amount altered, an entry deleted, a receipt cancelled by hand, an entry
            // moved to the day before (still the payment's), one for a Jodo payment the bridge never saw, and the
            // school's own receipt from the counter (no jodo_reference: not Jodo's, never a difference).
            String altered = payments.get(0);
            String deleted = payments.get(1);
            String cancelledByHand = payments.get(2);
            String moved = payments.get(3);
            BigDecimal deletedAmount = frappe.entriesFor(deleted).get(0).path("paid_amount").decimalValue();
            frappe.alter(altered, "paid_amount", frappe.entriesFor(altered).get(0).path("paid_amount").decimalValue()
                    .add(new BigDecimal("100")));
            frappe.delete(deleted);
            frappe.alter(cancelledByHand, "docstatus", 2);
            frappe.alter(moved, "posting_date", DAY.minusDays(1).toString());
            frappe.add(entry("pay_typed_by_hand", "750.0"));
            frappe.add(entry(null, "1200.0"));
            int requestsBefore = frappe.requests().size();

            JsonNode report = bridge.reconciliation(DAY, OPS, PASSWORD);
            JsonNode view = report.path("targets").get(0).path("erp");
            assertThat(view.path("available").asBoolean()).as(view.toString()).isTrue();
            assertThat(view.path("differences").findValuesAsText("kind")).containsExactlyInAnyOrder(
                    "amount_differs", "missing_in_erp", "status_differs", "unknown_to_bridge");
            assertThat(view.path("differences").findValuesAsText("paymentId")).containsExactlyInAnyOrder(
                    altered, deleted, cancelledByHand, "pay_typed_by_hand");
            JsonNode byHand = difference(view, cancelledByHand);
            assertThat(byHand.path("bridgeStatus").asText()).isEqualTo("ADDED");
            assertThat(byHand.path("erpStatus").asText()).isEqualTo("cancelled");
            assertThat(difference(view, altered).path("erpAmount").decimalValue())
                    .isEqualByComparingTo(difference(view, altered).path("bridgeAmount").decimalValue()
                            .add(new BigDecimal("100")));
            BigDecimal delivered = view.path("bridgeDelivered").decimalValue();
            assertThat(view.path("erpTotal").decimalValue()).isEqualByComparingTo(delivered.subtract(deletedAmount)
                    .add(new BigDecimal("100")).add(new BigDecimal("750.00")).add(cancelledGap));
            // The money booked: the payment cancelled in Jodo counts on neither side, and the gap is exactly the
            // differences' (100 more, the deleted entry, the one cancelled by hand, the receipt typed by hand).
            BigDecimal booked = view.path("bridgeBooked").decimalValue();
            assertThat(booked).isEqualByComparingTo(delivered.subtract(CANCELLED_SAMPLE_AMOUNT));
            assertThat(view.path("erpBooked").decimalValue()).isEqualByComparingTo(booked.add(new BigDecimal("100"))
                    .subtract(deletedAmount).subtract(byHand.path("bridgeAmount").decimalValue())
                    .add(new BigDecimal("750.00")));
            // The entry moved to the day before is that day's in the books, but the payment is this day's: on the day
            // before it is read, and counts in what the books hold, but in neither side's money booked.
            JsonNode dayBefore = bridge.reconciliation(DAY.minusDays(1), OPS, PASSWORD).path("targets").get(0)
                    .path("erp");
            assertThat(dayBefore.path("differences")).as(dayBefore.toString()).isEmpty();
            assertThat(dayBefore.path("erpTotal").decimalValue()).isPositive();
            assertThat(dayBefore.path("erpBooked").decimalValue()).isZero();
            assertThat(dayBefore.path("bridgeBooked").decimalValue()).isZero();
            // Nine entries of the day in pages of three, then the two payments not posted on the day, by reference.
            assertThat(frappe.requests().subList(requestsBefore, frappe.requests().size())).hasSizeGreaterThan(3)
                    .containsOnly("GET");
            assertThat(bridge.admin("GET", "/actuator/prometheus", null, null, null).body())
                    .contains("bridge_reconciliation_differences{target=\"erp\"} 4.0")
                    .contains("bridge_reconciliation_erp_unreadable{target=\"erp\"} 0.0");
            String csv = bridge.admin("GET", "/admin/reconciliation?format=csv&date=" + DAY, OPS, PASSWORD, null)
                    .body();
            assertThat(csv.lines().filter(line -> line.contains(",difference,status_differs,")))
                    .singleElement().asString().contains(cancelledByHand).endsWith(",ADDED,cancelled");
        }
    }

    @Test
    void theMoneyBookedMatchesWhenTheBooksAreRightThoughBouncedAndCancelledPaymentsWereDelivered() throws Exception {
        try (FrappeServer frappe = new FrappeServer(); BridgeInstance bridge = start(frappe)) {
            // Two payments that stand, one cancelled in Jodo after its entry was booked (the cancellation names
            // another amount than the entry's), and an instalment that bounced without a debit ever booked: all
            // delivered, and the books right, so no difference.
            List<String> payments = bookADay(bridge, List.of("direct.payment.added", "pay.payment.settled",
                    "direct.payment.added"));
            String bounced = "pay_" + Samples.freshId().substring(0, 8);
            awaitDelivered(bridge, List.of(post(bridge, "flex.instalment.bounced", bounced)));
            assertThat(frappe.entriesFor(bounced)).isEmpty();

            JsonNode view = bridge.reconciliation(DAY, OPS, PASSWORD).path("targets").get(0).path("erp");
            assertThat(view.path("available").asBoolean()).as(view.toString()).isTrue();
            assertThat(view.path("differences")).isEmpty();
            BigDecimal standing = frappe.entriesFor(payments.get(0)).get(0).path("paid_amount").decimalValue()
                    .add(frappe.entriesFor(payments.get(1)).get(0).path("paid_amount").decimalValue());
            assertThat(view.path("bridgeBooked").decimalValue()).isEqualByComparingTo(standing);
            assertThat(view.path("erpBooked").decimalValue()).isEqualByComparingTo(standing);
            // The totals of every payment do not match, and need not: the bounce is delivered (the books hold
            // nothing for it), and the cancelled entry keeps the amount it was booked with.
            assertThat(view.path("bridgeDelivered").decimalValue()).isGreaterThan(view.path("erpTotal").decimalValue());

            String csv = bridge.admin("GET", "/admin/reconciliation?format=csv&date=" + DAY, OPS, PASSWORD, null)
                    .body();
            String amount = standing.setScale(2).toPlainString();
            assertThat(csv).contains(DAY + ",erp,erp,bridge_booked,," + amount + ",")
                    .contains(DAY + ",erp,erp,erp_booked,," + amount + ",");
            Browser.onTab(dataDir.resolve("chromium-profile"), bridge, OPS, PASSWORD, "tab-recon", (driver, wait) -> {
                ((JavascriptExecutor) driver).executeScript(
                        "document.getElementById('recon-date').value = arguments[0]", DAY.toString());
                driver.findElement(By.id("recon-load")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("recon-erp"),
                        "Money booked: ₹" + String.format("%,.2f", standing) + " delivered, the ERP books ₹"
                                + String.format("%,.2f", standing) + "."));
            });
        }
    }

    @Test
    void anErpnextThatCannotBeReadIsSaidSoAndTheBridgesSideStillShown() throws Exception {
        try (FrappeServer frappe = new FrappeServer(); BridgeInstance bridge = start(frappe)) {
            String payment = "pay_" + Samples.freshId().substring(0, 8);
            String event = post(bridge, "direct.payment.added", payment);
            awaitDelivered(bridge, List.of(event));
            frappe.fail(new FrappeServer.Fault("GET", 403, false));

            JsonNode target = bridge.reconciliation(DAY, OPS, PASSWORD).path("targets").get(0);
            assertThat(target.path("erp").path("available").asBoolean()).isFalse();
            assertThat(target.path("erp").path("note").asText()).startsWith("the ERP could not be read: ")
                    .contains("ERPNext answered 403 listing Payment Entries");
            assertThat(target.path("payments").get(0).path("count").asInt()).isEqualTo(1);
            // The bridge's side still counted, in the file too, for an accountant to check the books by hand.
            assertThat(bridge.admin("GET", "/admin/reconciliation?format=csv&date=" + DAY, OPS, PASSWORD, null).body())
                    .contains(DAY + ",erp,erp,bridge_booked,,5000.00,")
                    .contains(DAY + ",erp,erp,not available: the ERP could not be read: ");
            // Unknown is not none: said to the alerting, beside a count of differences that cannot be trusted.
            assertThat(bridge.admin("GET", "/actuator/prometheus", null, null, null).body())
                    .contains("bridge_reconciliation_erp_unreadable{target=\"erp\"} 1.0");
            assertThat(Samples.tree(bridge.admin("GET", "/actuator/health", OPS, PASSWORD, null).body())
                    .at("/components/reconciliation/details/erpUnreadable").toString()).isEqualTo("[\"erp\"]");

            // A 200 without Frappe's list (a stand-in answering "{}") is no more a reading than a 403 is.
            frappe.fail(FrappeServer.Fault.page("GET", 200, "{}"));
            JsonNode nextDay = bridge.reconciliation(DAY.plusDays(1), OPS, PASSWORD).path("targets").get(0);
            assertThat(nextDay.path("erp").path("available").asBoolean()).isFalse();
            assertThat(nextDay.path("erp").path("note").asText()).isEqualTo("the ERP could not be read:"
                    + " TransientDeliveryException: ERPNext answered 200 listing Payment Entries without the list"
                    + " Frappe answers under \"data\": {}");
        }
    }

    @Test
    void aDailyFileWrittenWhileErpnextCouldNotBeReadIsWrittenAgainOnceItCan() throws Exception {
        Path folder = dataDir.resolve("reconciliation");
        Path file = folder.resolve("reconciliation-" + LocalDate.now(ZoneId.of("Asia/Kolkata")).minusDays(1) + ".csv");
        Map<String, String> daily = Map.of("bridge.reconciliation.folder", folder.toString(),
                "bridge.reconciliation.time", "00:00", "bridge.reconciliation.check-interval", "200ms");
        try (FrappeServer frappe = new FrappeServer()) {
            // The site is in maintenance at the hour the day's file is written (time 00:00: due at once).
            frappe.maintenance(true);
            try (BridgeInstance bridge = start(frappe, daily)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(file));
                assertThat(Files.readString(file)).contains(",erp,erp,not available: the ERP could not be read: ")
                        .contains("SessionStopped").doesNotContain("erp_booked");
                // Still in maintenance a while later: read again, and the file left saying so.
                int reads = frappe.requests().size();
                await().atMost(Duration.ofSeconds(10)).until(() -> frappe.requests().size() > reads + 2);
                assertThat(Files.readString(file)).contains("the ERP could not be read");

                frappe.maintenance(false);
                await().atMost(Duration.ofSeconds(20)).until(() -> !Files.readString(file).contains("not available"));
                assertThat(Files.readString(file)).contains(",erp,erp,erp_booked,,0.00,");
                // Whole now: neither read nor written again (five checks later).
                String whole = Files.readString(file);
                int after = frappe.requests().size();
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() ->
                        frappe.requests().size() == after && Files.readString(file).equals(whole));

                // Written again while the site is back in maintenance, and the bridge stopped before it is over.
                frappe.maintenance(true);
                Files.delete(file);
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(file)
                        && Files.readString(file).contains("the ERP could not be read"));
            }
            frappe.maintenance(false);
            // The next start finds the file saying so, and writes it whole.
            try (BridgeInstance bridge = start(frappe, daily)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(file).contains("erp_booked"));
                assertThat(Files.readString(file)).doesNotContain("not available");
            }
        }
    }

    @Test
    void anErpnextThatAnswersEveryPageWholeIsReadOnce() throws Exception {
        try (FrappeServer frappe = new FrappeServer(); BridgeInstance bridge = start(frappe)) {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                events.add(post(bridge, "direct.payment.added", "pay_" + Samples.freshId().substring(0, 8)));
            }
            awaitDelivered(bridge, events);
            frappe.ignorePaging();
            int requestsBefore = frappe.requests().size();

            JsonNode view = bridge.reconciliation(DAY, OPS, PASSWORD).path("targets").get(0).path("erp");
            assertThat(view.path("available").asBoolean()).as(view.toString()).isTrue();
            assertThat(view.path("differences")).isEmpty();
            assertThat(view.path("erpTotal").decimalValue()).isEqualByComparingTo(view.path("bridgeDelivered")
                    .decimalValue());
            // The whole day on the first page (of three asked for), the same again on the second: then it stops.
            assertThat(frappe.requests().size() - requestsBefore).isEqualTo(2);
        }
    }

    @Test
    void theReportNeverWaitsForTheErp() throws Exception {
        try (FrappeServer frappe = new FrappeServer(); BridgeInstance bridge = start(frappe)) {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                events.add(post(bridge, "direct.payment.added", "pay_" + Samples.freshId().substring(0, 8)));
            }
            awaitDelivered(bridge, events);
            // ERPNext takes the list query and does not answer: the operator is answered all the same, at once.
            frappe.holdLists();
            HttpResponse<String> answer = bridge.admin("GET", "/admin/reconciliation?date=" + DAY, OPS, PASSWORD,
                    null);
            assertThat(answer.statusCode()).isEqualTo(200);
            JsonNode waiting = Samples.tree(answer.body()).path("targets").get(0).path("erp");
            assertThat(waiting.path("available").asBoolean()).isFalse();
            assertThat(waiting.path("note").asText()).startsWith("being read from the ERP, in the background");
            assertThat(waiting.path("bridgeDelivered").decimalValue()).isEqualByComparingTo("10000.00");
            assertThat(waiting.path("reading").asBoolean()).isTrue();

            // The ops page says so, and shows the ERP's side once it has been read, without being asked again.
            Browser.onTab(dataDir.resolve("chromium-profile"), bridge, OPS, PASSWORD, "tab-recon", (driver, wait) -> {
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("recon-erp")));
                ((JavascriptExecutor) driver).executeScript(
                        "document.getElementById('recon-date').value = arguments[0]", DAY.toString());
                driver.findElement(By.id("recon-load")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("recon-erp"),
                        "Money booked: ₹10,000.00 delivered. What the ERP holds: being read from the ERP"));
                frappe.answerLists();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("recon-erp"),
                        "the ERP holds ₹10,000.00; 0 difference(s)."));
            });
            JsonNode view = bridge.reconciliation(DAY, OPS, PASSWORD).path("targets").get(0).path("erp");
            assertThat(view.path("available").asBoolean()).as(view.toString()).isTrue();
            assertThat(view.path("differences")).isEmpty();
            assertThat(view.path("readAt").asText()).isNotEmpty();
        }
    }

    @Test
    void theReportReadsTallysVouchersOfTheDayAndNamesExactlyWhatTheAccountantChanged() throws Exception {
        try (TallyServer tally = new TallyServer("Sunrise Public School", Set.of("Tuition Fees", "Transport Fees",
                "Fee Income", "Cash", "HDFC Bank", "Jodo Settlement"));
             BridgeInstance bridge = start(Map.of("transport", "tally", "url", tally.url(),
                     "mapping", "config/tally.yaml"))) {
            List<String> payments = bookADay(bridge, List.of("direct.payment.added", "direct.payment.added",
                    "direct.payment.added", "pay.payment.settled", "flex.instalment.debited", "direct.payment.added"));
            String cancelledInJodo = payments.get(5);
            assertThat(tally.voucher("jodo-" + cancelledInJodo).cancelled()).isTrue();
            // A payment the bridge has only as bounced, on the day of the bounce: the record that booked its debit is
            // gone (past retention), and Tally still counts the receipt, dated this day.
            String bouncedElsewhere = "pay_" + Samples.freshId().substring(0, 8);
            awaitDelivered(bridge, List.of(post(bridge, "flex.instalment.bounced", bouncedElsewhere)));
            BigDecimal cancelledGap = tally.voucher("jodo-" + cancelledInJodo).lines().values().stream()
                    .filter(amount -> amount.signum() > 0).reduce(BigDecimal.ZERO, BigDecimal::add)
                    .subtract(CANCELLED_SAMPLE_AMOUNT);

            // Behind the bridge's back: a voucher's fee line altered, one deleted, one cancelled by hand, one for a
            // Jodo payment the bridge never saw, and the school's own receipt (no REMOTEID: not Jodo's).
            String altered = payments.get(0);
            String deleted = payments.get(1);
            String cancelledByHand = payments.get(2);
            TallyServer.Voucher before = tally.voucher("jodo-" + altered);
            Map<String, BigDecimal> lines = new LinkedHashMap<>(before.lines());
            lines.merge("Fee Income", new BigDecimal("100.00"), BigDecimal::add);
            lines.merge("HDFC Bank", new BigDecimal("-100.00"), BigDecimal::add);
            tally.put(new TallyServer.Voucher(before.remoteId(), before.type(), before.date(), before.party(),
                    before.narration(), lines, false));
            tally.delete("jodo-" + deleted);
            TallyServer.Voucher byHand = tally.voucher("jodo-" + cancelledByHand);
            tally.put(new TallyServer.Voucher(byHand.remoteId(), byHand.type(), byHand.date(), byHand.party(),
                    byHand.narration(), byHand.lines(), true));
            String tallyDay = DAY.toString().replace("-", "");
            tally.put(new TallyServer.Voucher("jodo-pay_typed_by_hand", "Receipt", tallyDay, "ADM/0001",
                    "typed by hand", Map.of("Cash", new BigDecimal("-750.00"), "Fee Income", new BigDecimal("750.00")), false));
            tally.put(new TallyServer.Voucher("jodo-" + bouncedElsewhere, "Receipt", tallyDay, "ADM/0457",
                    "debited", Map.of("HDFC Bank", new BigDecimal("-20500.00"), "Fee Income",
                    new BigDecimal("20500.00")), false));
            tally.put(new TallyServer.Voucher("", "Receipt", tallyDay, "Counter",
                    "counter sale", Map.of("Cash", new BigDecimal("-1200.00"), "Fee Income", new BigDecimal("1200.00")), false));

            JsonNode view = bridge.reconciliation(DAY, OPS, PASSWORD).path("targets").get(0).path("erp");
            assertThat(view.path("available").asBoolean()).as(view.toString()).isTrue();
            assertThat(view.path("differences").findValuesAsText("kind")).containsExactlyInAnyOrder(
                    "amount_differs", "missing_in_erp", "status_differs", "unknown_to_bridge", "status_differs");
            assertThat(view.path("differences").findValuesAsText("paymentId")).containsExactlyInAnyOrder(
                    altered, deleted, cancelledByHand, "pay_typed_by_hand", bouncedElsewhere);
            assertThat(difference(view, cancelledByHand).path("erpStatus").asText()).isEqualTo("cancelled");
            assertThat(difference(view, bouncedElsewhere).path("bridgeStatus").asText()).isEqualTo("BOUNCED");
            assertThat(difference(view, bouncedElsewhere).path("erpStatus").asText()).isEqualTo("booked");
            BigDecimal deletedAmount = difference(view, deleted).path("bridgeAmount").decimalValue();
            assertThat(view.path("erpTotal").decimalValue()).isEqualByComparingTo(view.path("bridgeDelivered")
                    .decimalValue().subtract(deletedAmount).add(new BigDecimal("100")).add(new BigDecimal("750"))
                    .add(new BigDecimal("20500")).add(cancelledGap));
            // Booked: neither the cancelled payment nor the bounced one on the bridge's side; in Tally the bounced
            // payment's receipt still counts, and the voucher cancelled by hand no longer does.
            assertThat(view.path("erpBooked").decimalValue()).isEqualByComparingTo(view.path("bridgeBooked")
                    .decimalValue().add(new BigDecimal("100")).subtract(deletedAmount)
                    .subtract(difference(view, cancelledByHand).path("bridgeAmount").decimalValue())
                    .add(new BigDecimal("750")).add(new BigDecimal("20500")));

            // An export Tally says failed (STATUS 0, no line error) holds no vouchers: the books could not be read.
            tally.answerNext("<ENVELOPE><HEADER><VERSION>1</VERSION><STATUS>0</STATUS></HEADER><BODY><DATA></DATA>"
                    + "</BODY></ENVELOPE>");
            JsonNode failed = bridge.reconciliation(DAY.plusDays(1), OPS, PASSWORD).path("targets").get(0).path("erp");
            assertThat(failed.path("available").asBoolean()).as(failed.toString()).isFalse();
            assertThat(failed.path("note").asText()).isEqualTo("the ERP could not be read: TransientDeliveryException:"
                    + " Tally did not export the day's vouchers (STATUS 0): <ENVELOPE><HEADER><VERSION>1</VERSION>"
                    + "<STATUS>0</STATUS></HEADER><BODY><DATA></DATA></BODY></ENVELOPE>");
        }
    }

    /**
     * Posts each sample as a payment of the day, then, once they are delivered, cancels the last one in Jodo; returns
     * the payments' ids once all is delivered.
     */
    private static List<String> bookADay(BridgeInstance bridge, List<String> samples) {
        List<String> payments = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (String sample : samples) {
            String payment = "pay_" + Samples.freshId().substring(0, 8);
            payments.add(payment);
            events.add(post(bridge, sample, payment));
        }
        awaitDelivered(bridge, events);
        events.add(post(bridge, "direct.payment.cancelled", payments.get(payments.size() - 1)));
        awaitDelivered(bridge, events);
        return payments;
    }

    private static void awaitDelivered(BridgeInstance bridge, List<String> events) {
        await().atMost(Duration.ofSeconds(30)).until(() -> events.stream()
                .allMatch(id -> "DELIVERED".equals(bridge.deliveryState(id, "erp"))));
    }

    private BridgeInstance start(FrappeServer frappe) {
        return start(frappe, Map.of());
    }

    private BridgeInstance start(FrappeServer frappe, Map<String, String> more) {
        return start(Map.of("transport", "erpnext", "url", frappe.url(), "api-key", FrappeServer.KEY,
                "api-secret", FrappeServer.SECRET, "mapping", "config/erpnext.yaml", "reconciliation-page-size", "3"),
                more);
    }

    private BridgeInstance start(Map<String, String> target) {
        return start(target, Map.of());
    }

    /** A bridge whose sole target, erp, has this transport and these options, with {@code more} settings. */
    private BridgeInstance start(Map<String, String> target, Map<String, String> more) {
        Map<String, String> options = new HashMap<>(target);
        Map<String, String> settings = ErpTargets.soleTarget(options.remove("transport"), options);
        settings.put("bridge.admin.username", OPS);
        settings.put("bridge.admin.password", PASSWORD);
        settings.putAll(more);
        return BridgeInstance.start(dataDir.resolve("data"), settings);
    }

    /** Posts the sample as a payment of the day (10:30 in Kolkata) with this id; returns its event id. */
    private static String post(BridgeInstance bridge, String sample, String payment) {
        String id = Samples.freshId();
        String body = Samples.ofPaymentOn(sample, id, payment, DAY);
        assertThat(bridge.postWebhook(body.getBytes(StandardCharsets.UTF_8), null).statusCode()).isEqualTo(202);
        return id;
    }

    private static ObjectNode entry(String jodoReference, String amount) {
        ObjectNode entry = Samples.tree("{}").deepCopy();
        entry.put("payment_type", "Receive").put("posting_date", DAY.toString()).put("docstatus", 1)
                .put("paid_amount", new BigDecimal(amount));
        if (jodoReference != null) {
            entry.put("jodo_reference", jodoReference);
        }
        return entry;
    }

    private static JsonNode difference(JsonNode view, String paymentId) {
        for (JsonNode difference : view.path("differences")) {
            if (paymentId.equals(difference.path("paymentId").asText())) {
                return difference;
            }
        }
        throw new AssertionError("no difference for " + paymentId + " in " + view);
    }
}
