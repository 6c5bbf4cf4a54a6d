package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jodoerp.bridge.canonical.CanonicalMapper;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.FrappeServer;
import com.jodoerp.bridge.support.Permutations;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ERPNext integration against a double of Frappe's REST API (FrappeServer says which documented behaviour it
 * models), with the shipped mapping (config/erpnext.yaml): one submitted Payment Entry per Jodo payment whatever
 * the order, retries and replays of its events; a cancellation cancels it and never books a second receipt.
 */
class ErpnextTargetTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;
    static FrappeServer frappe;
    static BridgeInstance bridge;

    @BeforeAll
    static void start() throws Exception {
        frappe = new FrappeServer();
        Map<String, String> settings = ErpTargets.soleTarget("erpnext", Map.of("url", frappe.url(),
                "api-key", FrappeServer.KEY, "api-secret", FrappeServer.SECRET, "mapping", "config/erpnext.yaml"));
        settings.put("bridge.delivery.retry.initial-backoff", "100ms");
        settings.put("bridge.delivery.retry.max-backoff", "200ms");
        settings.put("bridge.admin.username", "ops");
        settings.put("bridge.admin.password", "erpnext-ops-1");
        bridge = BridgeInstance.start(dataDir, settings);
    }

    @AfterAll
    static void stop() {
        bridge.close();
        frappe.close();
    }

    @Test
    void eachSamplePaymentIsOneSubmittedEntryAsTheAccountantExpects() {
        List<String> payments = List.of("direct.payment.added", "flex.instalment.debited", "flex.downpayment.settled",
                "pay.payment.settled", "page.payment.settled", "payment_link.payment.debited");
        Map<String, String> paymentOf = new HashMap<>();
        for (String event : payments) {
            String id = Samples.freshId();
            String payment = "pay_" + id.substring(0, 8);
            paymentOf.put(event, payment);
            post(Samples.withEventId(event, id), body -> retarget(body, payment), id);
            ObjectNode entry = single(payment);
            assertThat(entry.path("docstatus").asInt()).as(event).isEqualTo(1);
            assertThat(entry.path("payment_type").asText()).isEqualTo("Receive");
            assertThat(entry.path("company").asText()).isEqualTo("Sunrise Public School");
            assertThat(entry.path("posting_date").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
            assertThat(entry.path("reference_date").asText()).isEqualTo(entry.path("posting_date").asText());
        }
        ObjectNode direct = single(paymentOf.get("direct.payment.added"));
        assertThat(direct.path("party_type").asText()).isEqualTo("Student");
        assertThat(direct.path("party").asText()).isEqualTo("ENR-2024-0457");
        assertThat(direct.path("paid_to").asText()).isEqualTo("HDFC Current - SPS");
        assertThat(direct.path("mode_of_payment").asText()).isEqualTo("Wire Transfer");
        assertThat(direct.path("reference_no").asText()).isEqualTo("HDFCN52024060112345678");
        assertThat(direct.path("paid_amount").decimalValue()).isEqualByComparingTo("5000.00");
        // Its components map to two accounts, so the school's receivable account takes it; the split is in the remarks.
        assertThat(direct.path("paid_from").asText()).isEqualTo("Debtors - SPS");
        assertThat(direct.path("remarks").asText()).contains("TUITION_FEE 3000.00").contains("TRANSPORT_FEE 2000.00");
        // Whose fee, and for which school year, in the ledger's own words; a payment link's from what its payer says.
        assertThat(direct.path("remarks").asText()).contains(" for ADM/0457, G5A, 2024-2025;");
        assertThat(single(paymentOf.get("payment_link.payment.debited")).path("remarks").asText())
                .contains(" for Student Name (cust_1234), grade_5944, 2022-2023;");
    }

    @Test
    void theDateIsTheSchoolsDayNotUtcs() {
        String id = Samples.freshId();
        String payment = "pay_" + id.substring(0, 8);
        // 20:00 UTC on 1 June is 01:30 on 2 June in Kolkata.
        post(Samples.withEventId("direct.payment.added", id), body -> retarget(body, payment)
                .replace("\"paid_at\": \"2024-06-01T08:45:00Z\"", "\"paid_at\": \"2024-06-01T20:00:00Z\""), id);
        assertThat(single(payment).path("posting_date").asText()).isEqualTo("2024-06-02");
    }

    @Test
    void everyOrderOfAPaymentAndItsCancellationEndsInOneCancelledEntry() {
        List<String> events = List.of("direct.payment.added", "direct.payment.updated", "direct.payment.cancelled");
        for (List<String> order : Permutations.of(events)) {
            String payment = "pay_" + Samples.freshId().substring(0, 8);
            for (String event : order) {
                String id = Samples.freshId();
                postWithoutWaiting(Samples.withEventId(event, id), body -> retarget(body, payment));
                // An update after booking asks for an amendment (a dead letter); every other step is delivered.
                await().atMost(WITHIN).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "erp"))
                        || event.endsWith("updated") && "DEAD".equals(bridge.deliveryState(id, "erp")));
            }
            List<ObjectNode> entries = frappe.entriesFor(payment);
            assertThat(entries).as(order.toString()).hasSize(1);
            assertThat(entries.get(0).path("docstatus").asInt()).as(order.toString()).isEqualTo(2);
        }
    }

    @Test
    void aDebitTheBankReturnedAsBouncedCancelsItsEntry() {
        String payment = "pay_" + Samples.freshId().substring(0, 8);
        deliver("flex.instalment.debited", payment);
        assertThat(single(payment).path("docstatus").asInt()).isEqualTo(1);

        deliver("flex.instalment.bounced", payment);
        assertThat(single(payment).path("docstatus").asInt()).as("the money never came").isEqualTo(2);
    }

    @Test
    void aDebitArrivingAfterItsBounceBooksNothing() {
        String payment = "pay_" + Samples.freshId().substring(0, 8);
        deliver("flex.instalment.bounced", payment);
        deliver("flex.instalment.debited", payment);
        assertThat(frappe.entriesFor(payment)).as("the bounce outranks the debit, whatever their order").isEmpty();
    }

    @Test
    void jodosOwnDocumentationExamplesAreBookedOrLeftAsTheyShouldBe() {
        List<String> stored = new ArrayList<>();
        for (String example : List.of("flex.instalment.debited", "direct.payment.cancelled", "cred.emi.debited")) {
            byte[] body = Samples.docExample(example);
            assertThat(bridge.postWebhook(body, null).statusCode()).isEqualTo(202);
            stored.add(Samples.eventId(body));
        }
        stored.forEach(id -> await().atMost(WITHIN).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "erp"))));
        String instalment = CanonicalMapper.read(Samples.docExample("flex.instalment.debited")).at("/payload/payment/id")
                .asText();
        String cancelled = CanonicalMapper.read(Samples.docExample("direct.payment.cancelled"))
                .at("/payload/payment/id").asText();
        assertThat(single(instalment).path("docstatus").asInt()).isEqualTo(1);
        assertThat(single(cancelled).path("docstatus").asInt()).as("booked, then cancelled").isEqualTo(2);
        String emi = CanonicalMapper.read(Samples.docExample("cred.emi.debited")).at("/payload/payment/id").asText();
        assertThat(frappe.entriesFor(emi)).as("an EMI is paid to the lender, not the school").isEmpty();
    }

    @Test
    void aFailureInTheMiddleOfTheExchangeIsRetriedWithoutASecondEntry() {
        // The lookup fails once, then the create is done but its answer is lost: the next try finds the entry.
        frappe.fail(new FrappeServer.Fault("GET", 503, false));
        frappe.fail(new FrappeServer.Fault("POST", 504, true));
        String id = Samples.freshId();
        String payment = "pay_" + id.substring(0, 8);
        post(Samples.withEventId("pay.payment.debited", id), body -> retarget(body, payment), id);
        assertThat(frappe.entriesFor(payment)).hasSize(1);
        assertThat(bridge.deliveryAttempts(id, "erp")).isEqualTo(3);

        // A cancellation whose cancel call fails once is cancelled on its next try.
        frappe.fail(new FrappeServer.Fault("CANCEL", 502, false));
        String cancel = Samples.freshId();
        post(Samples.withEventId("direct.payment.cancelled", cancel), body -> retarget(body, payment), cancel);
        assertThat(single(payment).path("docstatus").asInt()).isEqualTo(2);
    }

    @Test
    void aPageFromTheWebServerInFrontOfTheSiteIsRetriedWithItsWords() {
        assertThat(errorsBookingThrough(
                FrappeServer.Fault.page("GET", 502, "<html><body><h1>502 Bad Gateway</h1></body></html>"),
                FrappeServer.Fault.page("GET", 200, "<html><body>Down for maintenance</body></html>"))).containsExactly(
                "TransientDeliveryException: ERPNext answered 502 looking up the Payment Entry: <html><body><h1>502"
                        + " Bad Gateway</h1></body></html>",
                "TransientDeliveryException: ERPNext answered 200 looking up the Payment Entry with something other"
                        + " than JSON (a proxy or sign-in page in front of the site?): <html><body>Down for maintenance"
                        + "</body></html>",
                null);
    }

    @Test
    void aSuccessWithoutWhatFrappeAnswersIsRetriedNeverTakenForNoneOrBooked() {
        // A 200 "{}" to the lookup, then a 200 without the created entry: neither says what ERPNext holds or did.
        assertThat(errorsBookingThrough(FrappeServer.Fault.page("GET", 200, "{}"),
                FrappeServer.Fault.page("POST", 200, "{\"data\": null}"))).containsExactly(
                "TransientDeliveryException: ERPNext answered 200 looking up the Payment Entry without the list Frappe"
                        + " answers under \"data\": {}",
                "TransientDeliveryException: ERPNext answered 200 creating the Payment Entry without the entry and its"
                        + " name Frappe answers under \"data\": {\"data\": null}",
                null);
    }

    @Test
    void aDraftEntryForThePaymentIsADeadLetterNeverTakenForBooked() {
        // A draft with the payment's reference, made by hand: the money would be "delivered" and never count.
        String id = Samples.freshId();
        String payment = "pay_" + id.substring(0, 8);
        String draft = frappe.add((ObjectNode) Samples.tree("{\"payment_type\": \"Receive\", \"docstatus\": 0,"
                + " \"paid_amount\": 5000.0, \"jodo_reference\": \"" + payment + "\"}"));
        postWithoutWaiting(Samples.withEventId("pay.payment.debited", id), body -> retarget(body, payment));
        await().atMost(WITHIN).until(() -> "DEAD".equals(bridge.deliveryState(id, "erp")));
        assertThat(lastError(id))
                .isEqualTo("PermanentDeliveryException: Payment Entry " + draft + " for " + payment + " is a draft in"
                        + " ERPNext: submit it there (or delete it), then replay this dead letter");
        assertThat(frappe.entriesFor(payment)).singleElement()
                .satisfies(entry -> assertThat(entry.path("docstatus").asInt()).isZero());
    }

    @Test
    void anEntryErpnextKeepsAsADraftIsADeadLetterNotBooked() {
        // Asked for a submitted entry, the site answers with a draft (a workflow wanting an approval, say).
        frappe.fail(FrappeServer.Fault.page("POST", 200,
                "{\"data\": {\"name\": \"ACC-PAY-DRAFT\", \"docstatus\": 0}}"));
        String id = Samples.freshId();
        String payment = "pay_" + id.substring(0, 8);
        postWithoutWaiting(Samples.withEventId("pay.payment.debited", id), body -> retarget(body, payment));
        await().atMost(WITHIN).until(() -> "DEAD".equals(bridge.deliveryState(id, "erp")));
        assertThat(lastError(id))
                .isEqualTo("PermanentDeliveryException: ERPNext kept the new Payment Entry ACC-PAY-DRAFT for " + payment
                        + " as a draft: submit it there, then replay this dead letter");
    }

    @Test
    void aRedirectIsADeadLetterSayingWhereItPointed() {
        frappe.fail(FrappeServer.Fault.redirect("GET", 301,
                "https://erp.school.example/api/resource/Payment%20Entry?filters=x"));
        String id = Samples.freshId();
        postWithoutWaiting(Samples.withEventId("pay.payment.debited", id),
                body -> retarget(body, "pay_" + id.substring(0, 8)));
        await().atMost(WITHIN).until(() -> "DEAD".equals(bridge.deliveryState(id, "erp")));
        assertThat(lastError(id))
                .startsWith("PermanentDeliveryException: ERPNext answered 301 (redirected to"
                        + " https://erp.school.example/api/resource/Payment%20Entry; the bridge does not follow"
                        + " redirects: set the target's url to where the ERP answers) looking up the Payment Entry");
    }

    @Test
    void aReplayFindsTheEntryAndBooksNothingMore() {
        String id = Samples.freshId();
        String payment = "pay_" + id.substring(0, 8);
        post(Samples.withEventId("flex.instalment.settled", id), body -> retarget(body, payment), id);
        assertThat(bridge.admin("POST", "/admin/events/" + id + "/replay", "ops", "erpnext-ops-1", null)
                .statusCode()).isEqualTo(200);
        await().atMost(WITHIN).until(() -> bridge.deliveryAttempts(id, "erp") == 2
                && "DELIVERED".equals(bridge.deliveryState(id, "erp")));
        assertThat(frappe.entriesFor(payment)).hasSize(1);
    }

    /**
     * Jodo changes the amount of a payment ERPNext has booked. A submitted entry cannot be edited, and Frappe's
     * amendment would copy the unique Jodo Reference the cancelled original keeps: so the dead letter asks for the
     * entry to be cancelled and deleted, and the replay books the new amount. Replayed with the entry only cancelled,
     * it says the entry is still there, rather than counting the payment as booked.
     */
    @Test
    void anAmountChangedAfterBookingIsBookedAnewOnceTheAccountantCancelsAndDeletesTheEntry() {
        String payment = "pay_" + Samples.freshId().substring(0, 8);
        deliver("direct.payment.added", payment);
        String updated = Samples.freshId();
        postWithoutWaiting(Samples.withEventId("direct.payment.updated", updated), body -> retarget(body, payment));
        await().atMost(WITHIN).until(() -> "DEAD".equals(bridge.deliveryState(updated, "erp")));
        assertThat(lastError(updated)).contains("is booked at 5000.00 and Jodo now says 5500.00")
                .contains("cancel it").contains("delete the cancelled entry in ERPNext, then replay this dead letter");
        assertThat(single(payment).path("paid_amount").decimalValue()).isEqualByComparingTo("5000.00");

        frappe.alter(payment, "docstatus", 2);
        replayAndAwait(updated, "DEAD", 2);
        assertThat(lastError(updated)).contains("is cancelled in ERPNext, while Jodo says the payment was UPDATED")
                .contains("delete the cancelled entry in ERPNext");

        frappe.delete(payment);
        replayAndAwait(updated, "DELIVERED", 3);
        assertThat(single(payment).path("paid_amount").decimalValue()).isEqualByComparingTo("5500.00");
        assertThat(single(payment).path("docstatus").asInt()).isEqualTo(1);
    }

    private static String lastError(String eventId) {
        return bridge.jdbc().queryForObject("SELECT last_error FROM delivery WHERE event_id = ?", String.class,
                eventId);
    }

    private static void replayAndAwait(String eventId, String state, int attempts) {
        assertThat(bridge.admin("POST", "/admin/dead-letters/" + eventId + "/erp/replay", "ops", "erpnext-ops-1",
                null).statusCode()).isEqualTo(200);
        await().atMost(WITHIN).until(() -> bridge.deliveryAttempts(eventId, "erp") == attempts
                && state.equals(bridge.deliveryState(eventId, "erp")));
    }

    /**
     * Two corrections of one payment reaching the bridge newest first: the older is outranked, so it asks for no
     * amendment of the entry the newer one booked (it is not what Jodo says now) and books nothing more.
     */
    @Test
    void anOlderUpdateArrivingAfterANewerOneAsksForNoAmendment() {
        String payment = "pay_" + Samples.freshId().substring(0, 8);
        deliver("direct.payment.updated", payment, body -> body.replace("\"amount\": 5500.0", "\"amount\": 5600.0")
                .replace("\"3500.00\"", "\"3600.00\"")
                .replace("\"timestamp\": 1717587000", "\"timestamp\": 1717590600"));
        assertThat(single(payment).path("paid_amount").decimalValue()).isEqualByComparingTo("5600.00");

        deliver("direct.payment.updated", payment);
        assertThat(single(payment).path("paid_amount").decimalValue()).isEqualByComparingTo("5600.00");
        assertThat(single(payment).path("docstatus").asInt()).isEqualTo(1);
    }

    @Test
    void aPaymentWithoutItsIdOrAPositiveAmountIsADeadLetterAndNoEntry() {
        int before = frappe.entryCount();
        Map<String, UnaryOperator<String>> sparse = Map.of(
                "it has no payment id", body -> body.replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": \" \""),
                "it has no amount", body -> body.replace("\"amount\": 5000.0,", "\"mode_only\": 1,")
                        .replace("\"details\":", "\"details_elsewhere\":"),
                "its amount is 0.00", body -> body.replace("\"amount\": 5000.0,", "\"amount\": 0,"));
        sparse.forEach((reason, change) -> {
            String id = Samples.freshId();
            postWithoutWaiting(Samples.withEventId("direct.payment.added", id), body -> change.apply(
                    retarget(body, "pay_" + Samples.freshId().substring(0, 8))));
            await().atMost(WITHIN).until(() -> "DEAD".equals(bridge.deliveryState(id, "erp")));
            assertThat(bridge.deliveryAttempts(id, "erp")).as(reason).isEqualTo(1);
            assertThat(lastError(id)).contains("the direct.payment.added record books no receipt: " + reason);
        });
        assertThat(frappe.entryCount()).isEqualTo(before);
    }

    @Test
    void recordsThatAreNotTheSchoolsReceiptsBookNothing() {
        int before = frappe.entryCount();
        List<String> ids = new ArrayList<>();
        for (String event : List.of("masterdata.student.registered", "flex.subscription.setup", "cred.emi.debited",
                "cred.loan.disbursed", "flex.instalment.bounced", "payment_link.payment.expired")) {
            String id = Samples.freshId();
            ids.add(id);
            postWithoutWaiting(Samples.withEventId(event, id), body -> body);
        }
        ids.forEach(id -> await().atMost(WITHIN).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "erp"))));
        assertThat(frappe.entryCount()).isEqualTo(before);
    }

    /** Books a payment through these faults, one after the other, and gives each attempt's error (null: booked). */
    private static List<String> errorsBookingThrough(FrappeServer.Fault... faults) {
        for (FrappeServer.Fault fault : faults) {
            frappe.fail(fault);
        }
        String id = Samples.freshId();
        String payment = "pay_" + id.substring(0, 8);
        post(Samples.withEventId("pay.payment.debited", id), body -> retarget(body, payment), id);
        assertThat(frappe.entriesFor(payment)).hasSize(1);
        return bridge.jdbc().queryForList("SELECT error FROM delivery_attempt WHERE event_id = ? ORDER BY attempt",
                String.class, id);
    }

    private static String retarget(String body, String payment) {
        return body.replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": \"" + payment + "\"")
                .replaceFirst("\"order_id\": \"[^\"]+\"", "\"order_id\": \"" + payment + "\"");
    }

    private static ObjectNode single(String payment) {
        List<ObjectNode> entries = frappe.entriesFor(payment);
        assertThat(entries).as("entries for " + payment).hasSize(1);
        return entries.get(0);
    }

    /** Posts the sample of {@code event} as a record of {@code payment}, and waits until it is delivered. */
    private static void deliver(String event, String payment) {
        deliver(event, payment, body -> body);
    }

    /** As {@link #deliver(String, String)}, with the sample first changed by {@code change}. */
    private static void deliver(String event, String payment, UnaryOperator<String> change) {
        String id = Samples.freshId();
        post(Samples.withEventId(event, id), body -> retarget(change.apply(body), payment), id);
    }

    private static void post(byte[] sample, UnaryOperator<String> change, String eventId) {
        String body = change.apply(new String(sample, StandardCharsets.UTF_8));
        assertThat(bridge.postWebhook(body.getBytes(StandardCharsets.UTF_8), null).statusCode()).isEqualTo(202);
        await().atMost(WITHIN).until(() -> "DELIVERED".equals(bridge.deliveryState(eventId, "erp")));
    }

    private static void postWithoutWaiting(byte[] sample, UnaryOperator<String> change) {
        String body = change.apply(new String(sample, StandardCharsets.UTF_8));
        assertThat(bridge.postWebhook(body.getBytes(StandardCharsets.UTF_8), null).statusCode()).isEqualTo(202);
    }
}
