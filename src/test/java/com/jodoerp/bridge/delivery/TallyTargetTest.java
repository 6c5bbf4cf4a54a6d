package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Folders;
import com.jodoerp.bridge.support.Samples;
import com.jodoerp.bridge.support.TallyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Tally integration against a double of Tally's XML server (TallyServer says which documented behaviour it
 * models), with the shipped ledgers (config/tally.yaml): Receipt vouchers posted over HTTP and written as import
 * files, one per payment whatever the order or the repeats, a cancellation cancelling it, Tally's LINEERRORs as
 * dead letters.
 */
class TallyTargetTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    // "Jodo Settlement" (the mapping's default deposit ledger) is missing: a payment by an unmapped mode is refused.
    private static final Set<String> LEDGERS = Set.of("Tuition Fees", "Transport Fees", "Fee Income", "Cash",
            "HDFC Bank");

    @TempDir
    static Path dataDir;
    static TallyServer tally;
    static BridgeInstance bridge;

    @BeforeAll
    static void start() throws Exception {
        tally = new TallyServer("Sunrise Public School", LEDGERS);
        bridge = BridgeInstance.start(dataDir.resolve("data"), Map.ofEntries(
                Map.entry("bridge.delivery.retry.initial-backoff", "100ms"),
                Map.entry("bridge.delivery.retry.max-backoff", "200ms"),
                Map.entry("bridge.targets.outbox.enabled", "false"),
                Map.entry("bridge.targets.tally.transport", "tally"),
                Map.entry("bridge.targets.tally.families", "*"),
                Map.entry("bridge.targets.tally.options.url", tally.url()),
                Map.entry("bridge.targets.tally.options.mapping", "config/tally.yaml"),
                Map.entry("bridge.targets.tally-files.transport", "file"),
                Map.entry("bridge.targets.tally-files.families", "direct,flex"),
                Map.entry("bridge.targets.tally-files.options.directory", dataDir.resolve("tally-import").toString()),
                Map.entry("bridge.targets.tally-files.options.format", "tally"),
                Map.entry("bridge.targets.tally-files.options.mapping", "config/tally.yaml"),
                Map.entry("bridge.targets.tally-files.options.layout", "{date}/{event_id}")));
    }

    @AfterAll
    static void stop() {
        bridge.close();
        tally.close();
    }

    @Test
    void aPaymentIsAReceiptVoucherWithItsLedgersOnTheSchoolsDay() {
        String payment = "pay_" + Samples.freshId().substring(0, 8);
        String id = post("direct.payment.added", payment, body -> body
                .replace("\"paid_at\": \"2024-06-01T08:45:00Z\"", "\"paid_at\": \"2024-06-01T20:00:00Z\""));
        await().atMost(WITHIN).until(() -> delivered(id, "tally"));

        TallyServer.Voucher voucher = tally.voucher("jodo-" + payment);
        assertThat(voucher.type()).isEqualTo("Receipt");
        assertThat(voucher.date()).as("20:00 UTC is the next day in Kolkata").isEqualTo("20240602");
        assertThat(voucher.party()).isEqualTo("ADM/0457");
        assertThat(voucher.narration()).isEqualTo("Jodo direct payment " + payment + " (direct.payment.added) for"
                + " ADM/0457, G5A, 2024-2025; TUITION_FEE 3000.00; TRANSPORT_FEE 2000.00");
        assertThat(voucher.cancelled()).isFalse();
        assertThat(voucher.lines()).containsOnlyKeys("HDFC Bank", "Tuition Fees", "Transport Fees");
        assertThat(voucher.lines().get("HDFC Bank")).isEqualByComparingTo("-5000.00");
        assertThat(voucher.lines().get("Tuition Fees")).isEqualByComparingTo("3000.00");
        assertThat(voucher.lines().get("Transport Fees")).isEqualByComparingTo("2000.00");
    }

    @Test
    void aPaymentSentWithoutItsStudentIsBookedToTheWalkInPartyNamingJodosStudent() {
        String payment = "pay_" + Samples.freshId().substring(0, 8);
        String id = post("direct.payment.added", payment,
                body -> body.replaceFirst("\"student\": \\{", "\"pupil\": {"));
        await().atMost(WITHIN).until(() -> delivered(id, "tally"));

        TallyServer.Voucher voucher = tally.voucher("jodo-" + payment);
        assertThat(voucher.party()).isEqualTo("Walk-in Payer");
        assertThat(voucher.narration()).isEqualTo("Jodo direct payment " + payment + " (direct.payment.added) for"
                + " Jodo student student_5521; TUITION_FEE 3000.00; TRANSPORT_FEE 2000.00");
    }

    @Test
    void aDebitArrivingAfterItsBounceMakesNoVoucher() {
        String payment = "pay_" + Samples.freshId().substring(0, 8);
        String bounced = post("flex.instalment.bounced", payment, body -> body);
        await().atMost(WITHIN).until(() -> delivered(bounced, "tally"));
        // By a mode with a ledger in Tally, so that the debit alone would make a voucher.
        String debited = post("flex.instalment.debited", payment,
                body -> body.replace("\"reference_id\":", "\"mode\": \"bank_transfer\", \"reference_id\":"));
        await().atMost(WITHIN).until(() -> delivered(debited, "tally"));
        assertThat(tally.voucher("jodo-" + payment)).as("the bounce outranks the debit, whatever their order").isNull();
    }

    /**
     * Tally does not document what importing a cancelled voucher again does (TallyServer keeps it cancelled): a late
     * booking is imported with its cancellation, so that even its import file alone leaves the voucher cancelled.
     */
    @Test
    void anAddedArrivingAfterItsCancellationIsImportedCancelledOverHttpAndInImportFiles() throws Exception {
        String payment = "pay_" + Samples.freshId().substring(0, 8);
        String cancelled = post("direct.payment.cancelled", payment, body -> body);
        await().atMost(WITHIN).until(() -> delivered(cancelled, "tally") && delivered(cancelled, "tally-files"));
        String added = post("direct.payment.added", payment, body -> body);
        await().atMost(WITHIN).until(() -> delivered(added, "tally") && delivered(added, "tally-files"));
        assertThat(tally.voucher("jodo-" + payment).cancelled()).isTrue();

        try (TallyServer fresh = new TallyServer("Sunrise Public School", LEDGERS)) {
            // The late booking's file imported on its own, as an accountant may import the day's files in any order.
            fresh.importEnvelope(Files.readAllBytes(only(Folders.files(dataDir.resolve("tally-import")), added)));
            assertThat(fresh.voucher("jodo-" + payment).cancelled()).as("a cancellation is final in the books")
                    .isTrue();
        }
    }

    /**
     * Jodo's "updated" (5500.00, later) can reach the bridge before the "added" (5000.00) it updates: the late added
     * is imported as the payment's winning record books it, over HTTP and in its import file, never at the old amount.
     */
    @Test
    void anAddedArrivingAfterItsUpdateLeavesTheVoucherAtTheUpdatedAmountOverHttpAndInImportFiles() throws Exception {
        String payment = "pay_" + Samples.freshId().substring(0, 8);
        String updated = post("direct.payment.updated", payment, body -> body);
        await().atMost(WITHIN).until(() -> delivered(updated, "tally") && delivered(updated, "tally-files"));
        String added = post("direct.payment.added", payment, body -> body);
        await().atMost(WITHIN).until(() -> delivered(added, "tally") && delivered(added, "tally-files"));

        TallyServer.Voucher voucher = tally.voucher("jodo-" + payment);
        assertThat(voucher.cancelled()).isFalse();
        assertThat(voucher.lines().get("HDFC Bank")).isEqualByComparingTo("-5500.00");
        assertThat(voucher.lines().get("Tuition Fees")).isEqualByComparingTo("3500.00");
        try (TallyServer fresh = new TallyServer("Sunrise Public School", LEDGERS)) {
            // The day's files imported in the order they were written, as an accountant would: the late one last.
            List<Path> files = Folders.files(dataDir.resolve("tally-import"));
            fresh.importEnvelope(Files.readAllBytes(only(files, updated)));
            fresh.importEnvelope(Files.readAllBytes(only(files, added)));
            assertThat(fresh.voucher("jodo-" + payment).lines()).isEqualTo(voucher.lines());
        }
    }

    @Test
    void aBookedDebitThatBouncesIsCancelledAsItWasBookedOverHttpAndInImportFiles() throws Exception {
        String payment = "pay_" + Samples.freshId().substring(0, 8);
        String debited = post("flex.instalment.debited", payment,
                body -> body.replace("\"reference_id\":", "\"mode\": \"bank_transfer\", \"reference_id\":"));
        await().atMost(WITHIN).until(() -> delivered(debited, "tally") && delivered(debited, "tally-files"));
        TallyServer.Voucher booked = tally.voucher("jodo-" + payment);
        assertThat(booked.cancelled()).isFalse();

        // The bounce names no mode, no fee heads and another day: the voucher is cancelled as the debit booked it.
        String bounced = post("flex.instalment.bounced", payment, body -> body);
        await().atMost(WITHIN).until(() -> delivered(bounced, "tally") && delivered(bounced, "tally-files"));
        TallyServer.Voucher voided = tally.voucher("jodo-" + payment);
        assertThat(voided.cancelled()).as("a bounce is final in the books").isTrue();
        assertThat(voided.date()).isEqualTo(booked.date()).isEqualTo("20240710");
        assertThat(voided.lines()).isEqualTo(booked.lines());

        List<Path> files = Folders.files(dataDir.resolve("tally-import"));
        try (TallyServer fresh = new TallyServer("Sunrise Public School", LEDGERS)) {
            fresh.importEnvelope(Files.readAllBytes(only(files, debited)));
            assertThat(fresh.importEnvelope(Files.readAllBytes(only(files, bounced))))
                    .contains("<CANCELLED>1</CANCELLED>").contains("<ERRORS>0</ERRORS>");
            assertThat(fresh.voucher("jodo-" + payment).cancelled()).isTrue();
        }
    }

    @Test
    void everyOrderOfAPaymentAndItsCancellationEndsInOneCancelledVoucher() {
        for (List<String> order : List.of(List.of("direct.payment.added", "direct.payment.cancelled"),
                List.of("direct.payment.cancelled", "direct.payment.added"),
                List.of("direct.payment.updated", "direct.payment.cancelled", "direct.payment.added"))) {
            String payment = "pay_" + Samples.freshId().substring(0, 8);
            int before = tally.voucherCount();
            for (String event : order) {
                String id = post(event, payment, body -> body);
                await().atMost(WITHIN).until(() -> delivered(id, "tally"));
            }
            assertThat(tally.voucherCount()).as(order.toString()).isEqualTo(before + 1);
            assertThat(tally.voucher("jodo-" + payment).cancelled()).as(order.toString()).isTrue();
        }
    }

    @Test
    void aReImportAltersTheVoucherAndABusyTallyIsTriedAgain() {
        String payment = "pay_" + Samples.freshId().substring(0, 8);
        int before = tally.voucherCount();
        tally.failNext(503);
        String added = post("direct.payment.added", payment, body -> body);
        await().atMost(WITHIN).until(() -> delivered(added, "tally"));
        assertThat(bridge.deliveryAttempts(added, "tally")).isEqualTo(2);
        String updated = post("direct.payment.updated", payment, body -> body);
        await().atMost(WITHIN).until(() -> delivered(updated, "tally"));

        assertThat(tally.voucherCount()).isEqualTo(before + 1);
        assertThat(tally.voucher("jodo-" + payment).lines().get("HDFC Bank")).isEqualByComparingTo("-5500.00");
    }

    @Test
    void aLineErrorIsADeadLetterWithTallysWords() {
        String payment = "pay_" + Samples.freshId().substring(0, 8);
        String id = post("direct.payment.added", payment, body -> body
                .replace("\"mode\": \"bank_transfer\"", "\"mode\": \"upi\""));
        await().atMost(WITHIN).until(() -> "DEAD".equals(bridge.deliveryState(id, "tally")));
        assertThat(bridge.jdbc().queryForObject("SELECT last_error FROM delivery WHERE event_id = ? AND target = ?",
                String.class, id, "tally")).contains("Tally refused the voucher: Ledger 'Jodo Settlement' does not exist!");
        assertThat(tally.voucher("jodo-" + payment)).isNull();
    }

    @Test
    void aPaymentWithoutItsIdOrAPositiveAmountIsADeadLetterAndNoVoucher() {
        Map<String, UnaryOperator<String>> sparse = Map.of(
                "it has no payment id", body -> body.replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": null"),
                "it has no amount", body -> body.replace("\"amount\": 5000.0,", "\"amount\": null,")
                        .replace("\"details\":", "\"details_elsewhere\":"),
                "its amount is 0.00", body -> body.replace("\"amount\": 5000.0,", "\"amount\": \"0\","));
        int before = tally.voucherCount();
        sparse.forEach((reason, change) -> {
            String id = post("direct.payment.added", "pay_" + Samples.freshId().substring(0, 8), change);
            for (String target : List.of("tally", "tally-files")) {
                await().atMost(WITHIN).until(() -> "DEAD".equals(bridge.deliveryState(id, target)));
                assertThat(bridge.deliveryAttempts(id, target)).as(reason).isEqualTo(1);
                assertThat(bridge.jdbc().queryForObject("SELECT last_error FROM delivery WHERE event_id = ? AND target = ?",
                        String.class, id, target)).as(target).contains("the direct.payment.added record books no receipt: "
                        + reason);
            }
        });
        assertThat(tally.voucherCount()).isEqualTo(before);
    }

    @Test
    void importFilesAreWrittenForReceiptsOnlyAndTallyImportsThem() throws Exception {
        String payment = "pay_" + Samples.freshId().substring(0, 8);
        String added = post("direct.payment.added", payment, body -> body);
        String cancelled = post("direct.payment.cancelled", payment, body -> body);
        String student = Samples.freshId();
        bridge.postWebhook(Samples.withEventId("masterdata.student.registered", student), null);
        await().atMost(WITHIN).until(() -> delivered(added, "tally-files") && delivered(cancelled, "tally-files"));

        List<Path> files = Folders.files(dataDir.resolve("tally-import"));
        Path addedFile = only(files, added);
        Path cancelledFile = only(files, cancelled);
        assertThat(addedFile.getParent().getFileName().toString()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(files).noneMatch(file -> file.getFileName().toString().startsWith(student));
        // The files import into Tally as the HTTP posts do: the receipt, then its cancellation.
        try (TallyServer fresh = new TallyServer("Sunrise Public School", LEDGERS)) {
            assertThat(fresh.importEnvelope(Files.readAllBytes(addedFile))).contains("<CREATED>1</CREATED>")
                    .contains("<ERRORS>0</ERRORS>");
            assertThat(fresh.importEnvelope(Files.readAllBytes(cancelledFile))).contains("<ALTERED>1</ALTERED>")
                    .contains("<CANCELLED>1</CANCELLED>");
            assertThat(fresh.voucher("jodo-" + payment).cancelled()).isTrue();
        }
        assertThat(new String(Files.readAllBytes(addedFile), StandardCharsets.UTF_8))
                .contains("<TALLYREQUEST>Import Data</TALLYREQUEST>").contains("REMOTEID=\"jodo-" + payment + "\"");
    }

    private static Path only(List<Path> files, String eventId) {
        List<Path> named = files.stream().filter(file -> file.getFileName().toString().equals(eventId + ".xml"))
                .toList();
        assertThat(named).as(eventId).hasSize(1);
        return named.get(0);
    }

    private static boolean delivered(String eventId, String target) {
        return "DELIVERED".equals(bridge.deliveryState(eventId, target));
    }

    private static String post(String event, String payment, UnaryOperator<String> change) {
        String id = Samples.freshId();
        String body = change.apply(Samples.ofPayment(event, id, payment));
        assertThat(bridge.postWebhook(body.getBytes(StandardCharsets.UTF_8), null).statusCode()).isEqualTo(202);
        return id;
    }
}
