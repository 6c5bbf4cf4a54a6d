package com.jodoerp.bridge.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.deadletters.AuditFilter;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpHttpServer;
import com.jodoerp.bridge.support.ErpHttpServer.Answer;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dead letters, replay (one and bulk), discard and the audit, through the admin API over real HTTP. */
class OperatorsTest {

    static final String USER = "ops";
    static final String PASSWORD = "ops-password-1";

    /** {@code settings} (mutable) with the operator login these tests sign in with. */
    static Map<String, String> withOperator(Map<String, String> settings) {
        settings.put("bridge.admin.username", USER);
        settings.put("bridge.admin.password", PASSWORD);
        return settings;
    }
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;
    static ErpHttpServer erp;
    static BridgeInstance bridge;

    @BeforeAll
    static void start() throws Exception {
        erp = new ErpHttpServer();
        Map<String, String> settings = ErpTargets.soleTarget("rest", Map.of("url", erp.url()));
        settings.put("bridge.admin.username", USER);
        settings.put("bridge.admin.password", PASSWORD);
        settings.put("bridge.delivery.retry.max-attempts", "3");
        settings.put("bridge.delivery.retry.initial-backoff", "50ms");
        settings.put("bridge.delivery.retry.max-backoff", "100ms");
        bridge = BridgeInstance.start(dataDir, settings);
    }

    @AfterAll
    static void stop() {
        bridge.close();
        erp.close();
    }

    @BeforeEach
    void erpIsDown() {
        erp.otherwise(Answer.status(503, "{\"error\":\"maintenance\"}"));
    }

    @Test
    void withoutCredentialsAdminAnswers401() {
        HttpResponse<String> none = bridge.admin("GET", "/admin/dead-letters", null, null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(Samples.tree(none.body()).path("error").asText()).isEqualTo("unauthorized");
        assertThat(bridge.admin("GET", "/admin/dead-letters", USER, "wrong-password", null).statusCode())
                .isEqualTo(401);
        assertThat(bridge.admin("POST", "/admin/replays", null, null, "{\"dryRun\":false}").statusCode())
                .isEqualTo(401);
    }

    @Test
    void theBridgesAddressLeadsToTheOpsPageAndAPathNothingServesIsA404() {
        HttpResponse<String> root = bridge.admin("GET", "/", null, null, null);
        assertThat(root.statusCode()).isEqualTo(302);
        // Paths, never an address made from the request's Host (behind a TLS proxy they stay on https).
        assertThat(root.headers().firstValue("Location")).hasValue("/ops/");
        HttpResponse<String> signIn = bridge.admin("GET", "/ops/", null, null, null);
        assertThat(signIn.statusCode()).isEqualTo(302);
        assertThat(signIn.headers().firstValue("Location")).hasValue("/login");
        // The same answer with the login or without: nothing is served there.
        for (String user : new String[] {null, USER}) {
            HttpResponse<String> nothing = bridge.admin("GET", "/favicon.ico", user, PASSWORD, null);
            assertThat(nothing.statusCode()).isEqualTo(404);
            assertThat(Samples.tree(nothing.body()).path("error").asText()).isEqualTo("not_found");
        }
        // What the login opens still asks for it, served or not.
        assertThat(bridge.admin("GET", "/admin/no-such-thing", null, null, null).statusCode()).isEqualTo(401);
        for (String operatorsOnly : new String[] {"/actuator", "/actuator/env"}) {
            assertThat(bridge.admin("GET", operatorsOnly, null, null, null).statusCode()).isEqualTo(401);
        }
        assertThat(bridge.admin("GET", "/actuator", USER, PASSWORD, null).statusCode()).isEqualTo(200);
    }

    /** Bodies past StoredBodies' in-batch size are read alone (and kept apart by H2): dispatch, delivery, this view. */
    @Test
    void anEventNearTheBodyLimitIsDeliveredAndShownWhole() {
        erp.otherwise(Answer.status(200, "{}"));
        String id = Samples.freshId();
        byte[] body = Samples.large(id, 1_000_000);
        assertThat(bridge.postWebhook(body, null).statusCode()).isEqualTo(202);

        await().atMost(WITHIN).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "erp")));
        assertThat(erp.acceptedFor(id)).isEqualTo(1);
        JsonNode event = get("/admin/events/" + id);
        assertThat(event.path("raw_payload").path("payload").path("note").asText()).hasSizeGreaterThan(990_000);
        assertThat(event.path("canonical_record").path("payment").path("id").asText()).isEqualTo("pay_inst_40211");
        assertThat(bridge.jdbc().queryForObject("SELECT OCTET_LENGTH(raw_body) FROM inbox_event WHERE event_id = ?",
                Long.class, id)).isEqualTo(body.length);
    }

    @Test
    void aSpentBudgetMakesADeadLetterWithItsHistoryAndReplayDeliversItOnce() {
        String id = deadLetter("flex.instalment.debited");

        JsonNode dead = find(get("/admin/dead-letters?target=erp"), id);
        assertThat(dead.path("attempts").asInt()).isEqualTo(3);
        assertThat(dead.path("reason").asText()).contains("503");
        JsonNode event = get("/admin/events/" + id);
        assertThat(event.path("raw_payload").path("event_id").asText()).isEqualTo(id);
        assertThat(event.path("canonical_record").path("schema").asText()).isEqualTo("jodo-erp-bridge/v1");
        JsonNode history = event.path("deliveries").get(0).path("history");
        assertThat(history).hasSize(3);
        assertThat(history.get(0).path("outcome").asText()).isEqualTo("FAILED");
        assertThat(history.get(2).path("outcome").asText()).isEqualTo("DEAD");
        assertThat(history.get(2).path("error").asText()).contains("503");

        erp.otherwise(Answer.status(200, "{}"));
        HttpResponse<String> replay = bridge.admin("POST", "/admin/dead-letters/" + id + "/erp/replay", USER,
                PASSWORD, null);
        assertThat(replay.statusCode()).isEqualTo(200);
        await().atMost(WITHIN).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "erp")));
        assertThat(erp.acceptedFor(id)).isEqualTo(1);
        assertThat(audit()).anySatisfy(entry -> {
            assertThat(entry.path("action").asText()).isEqualTo("REPLAY");
            assertThat(entry.path("actor").asText()).isEqualTo(USER);
            assertThat(entry.path("subject").asText()).contains(id);
        });
    }

    @Test
    void bulkReplayActsOnEveryMatchAndOnlyOnThem() {
        List<String> direct = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            direct.add(deadLetter("direct.payment.added"));
        }
        String cred = deadLetter("cred.emi.debited");

        HttpResponse<String> count = bridge.admin("POST", "/admin/replays", USER, PASSWORD,
                "{\"family\":\"direct\",\"dryRun\":true}");
        assertThat(Samples.tree(count.body()).path("matches").asInt()).isGreaterThanOrEqualTo(5);

        erp.otherwise(Answer.status(200, "{}"));
        HttpResponse<String> started = bridge.admin("POST", "/admin/replays", USER, PASSWORD,
                "{\"family\":\"direct\",\"dryRun\":false}");
        assertThat(started.statusCode()).isEqualTo(202);
        String job = Samples.tree(started.body()).path("id").asText();
        await().atMost(WITHIN).until(() -> "DONE".equals(get("/admin/replays/" + job).path("state").asText()));
        JsonNode finished = get("/admin/replays/" + job);
        assertThat(finished.path("done").asInt()).isEqualTo(finished.path("total").asInt());

        for (String id : direct) {
            await().atMost(WITHIN).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "erp")));
            assertThat(erp.acceptedFor(id)).isEqualTo(1);
        }
        assertThat(bridge.deliveryState(cred, "erp")).isEqualTo("DEAD");
        assertThat(audit()).anySatisfy(entry -> assertThat(entry.path("action").asText()).isEqualTo("BULK_REPLAY"));
    }

    @Test
    void aDiscardNeedsAReasonAndIsAudited() {
        String id = deadLetter("pay.payment.settled");
        assertThat(bridge.admin("POST", "/admin/dead-letters/" + id + "/erp/discard", USER, PASSWORD, "{}")
                .statusCode()).isEqualTo(400);

        HttpResponse<String> discarded = bridge.admin("POST", "/admin/dead-letters/" + id + "/erp/discard", USER,
                PASSWORD, "{\"reason\":\"paid in cash, entered by hand\"}");
        assertThat(discarded.statusCode()).isEqualTo(200);
        assertThat(bridge.deliveryState(id, "erp")).isEqualTo("DISCARDED");
        assertThat(audit()).anySatisfy(entry -> {
            assertThat(entry.path("action").asText()).isEqualTo("DISCARD");
            assertThat(entry.path("actor").asText()).isEqualTo(USER);
            assertThat(entry.path("affected").asInt()).isEqualTo(1);
            assertThat(entry.path("reason").asText()).isEqualTo("paid in cash, entered by hand");
            assertThat(entry.path("subject").asText()).contains(id);
        });
    }

    /**
     * The audit whole, not only its latest entries: "who discarded this event, and why?" is asked months later, after
     * many other entries (failed logins among them). Filtered by action, actor, subject and time, paged like the lists.
     */
    @Test
    void theAuditIsFilteredByWhatWhoAndWhenAndPaged() {
        String first = deadLetter("pay.payment.settled");
        String second = deadLetter("pay.payment.settled");
        for (String id : List.of(first, second)) {
            assertThat(bridge.admin("POST", "/admin/dead-letters/" + id + "/erp/discard", USER, PASSWORD,
                    "{\"reason\":\"entered by hand: " + id + "\"}").statusCode()).isEqualTo(200);
        }
        assertThat(bridge.admin("POST", "/admin/events/" + first + "/replay", USER, PASSWORD, null).statusCode())
                .isEqualTo(200);

        HttpResponse<String> aboutFirst = auditPage("subject=" + first);
        assertThat(total(aboutFirst)).isEqualTo(2);
        JsonNode entries = Samples.tree(aboutFirst.body());
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).path("action").asText()).isEqualTo("REPLAY");
        assertThat(entries.get(1).path("action").asText()).isEqualTo("DISCARD");
        assertThat(entries.get(1).path("reason").asText()).isEqualTo("entered by hand: " + first);
        assertThat(total(auditPage("action=discard&subject=" + first))).isEqualTo(1);
        assertThat(total(auditPage("action=BULK_REPLAY&subject=" + first))).isZero();
        assertThat(total(auditPage("actor=" + USER + "&subject=" + second))).isEqualTo(1);
        assertThat(total(auditPage("actor=someone-else&subject=" + second))).isZero();
        // The subject is matched as typed: "%" and "_" are no wildcards (no subject holds either).
        assertThat(total(auditPage("subject=%25"))).isZero();
        assertThat(total(auditPage("subject=_"))).isZero();

        // Newest first, a page at a time, the total counting every match.
        HttpResponse<String> latest = auditPage("action=DISCARD&limit=1");
        assertThat(total(latest)).isGreaterThanOrEqualTo(2);
        assertThat(Samples.tree(latest.body())).hasSize(1);
        assertThat(Samples.tree(latest.body()).get(0).path("subject").asText()).contains(second);
        assertThat(Samples.tree(auditPage("action=DISCARD&limit=1&offset=1").body()).get(0).path("subject").asText())
                .contains(first);

        // Times as the lists take them: the entries were made today, none before yesterday or from tomorrow.
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Kolkata"));
        LocalDate tomorrow = today.plusDays(1);
        assertThat(total(auditPage("subject=" + first + "&from=" + today.minusDays(1) + "&to=" + tomorrow)))
                .isEqualTo(2);
        assertThat(total(auditPage("subject=" + first + "&from=" + tomorrow))).isZero();
        assertThat(total(auditPage("subject=" + first + "&to=2000-01-01"))).isZero();

        for (Map.Entry<String, String> bad : Map.of(
                "action=DISCARDED", "action must be one of [BULK_REPLAY, BULK_REPLAY_CANCEL, DISCARD, LOGIN_FAILED, REPLAY]",
                "from=2026-12-02&to=2026-12-01", "from must be before to (to is exclusive)",
                "subject=" + "x".repeat(201), "subject must be at most 200 characters",
                "offset=-1", "offset must be a whole number between 0 and 2147483647").entrySet()) {
            HttpResponse<String> refused = bridge.admin("GET", "/admin/audit?" + bad.getKey(), USER, PASSWORD, null);
            assertThat(refused.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(Samples.tree(refused.body()).path("message").asText()).as(bad.getKey())
                    .isEqualTo(bad.getValue());
        }
    }

    /**
     * The ops page's Action list is static HTML: it offers each action the audit is filtered by (AuditFilter.ACTIONS),
     * no more and no fewer, so a new action cannot be written without the page offering it.
     */
    @Test
    void theOpsPageOffersEveryAuditActionAndOnlyThose() {
        HttpResponse<String> page = bridge.admin("GET", "/ops/index.html", USER, PASSWORD, null);
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher select = Pattern.compile("<select name=\"action\">(.*?)</select>", Pattern.DOTALL).matcher(page.body());
        assertThat(select.find()).as("the Action list").isTrue();
        Set<String> offered = new TreeSet<>();
        Matcher option = Pattern.compile("<option>([^<]+)</option>").matcher(select.group(1));
        while (option.find()) {
            offered.add(option.group(1));
        }
        assertThat(offered).isEqualTo(new TreeSet<>(AuditFilter.ACTIONS));
        offered.forEach(action -> auditPage("action=" + action));
    }

    private static HttpResponse<String> auditPage(String query) {
        HttpResponse<String> response = bridge.admin("GET", "/admin/audit?" + query, USER, PASSWORD, null);
        assertThat(response.statusCode()).as(query + ": " + response.body()).isEqualTo(200);
        return response;
    }

    private static long total(HttpResponse<String> response) {
        long total = Long.parseLong(response.headers().firstValue("X-Total-Count").orElseThrow());
        assertThat((long) Samples.tree(response.body()).size()).isLessThanOrEqualTo(total);
        return total;
    }

    @Test
    void aDeliveryBeingAttemptedIsNotDiscardedUnderIt() {
        String id = deadLetter("pay.payment.settled");
        // Replayed, it reaches an ERP that takes 2 s to answer: meanwhile its attempt is under way.
        erp.script(id, new Answer(201, Duration.ofSeconds(2), "{\"ok\":true}", null));
        int before = erp.requestsFor(id).size();
        assertThat(bridge.admin("POST", "/admin/dead-letters/" + id + "/erp/replay", USER, PASSWORD, null)
                .statusCode()).isEqualTo(200);
        await().atMost(WITHIN).until(() -> erp.requestsFor(id).size() > before);

        HttpResponse<String> refused = bridge.admin("POST", "/admin/dead-letters/" + id + "/erp/discard", USER,
                PASSWORD, "{\"reason\":\"entered by hand\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(Samples.tree(refused.body()).path("error").asText()).isEqualTo("being_attempted");
        await().atMost(WITHIN).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "erp")));
        assertThat(erp.acceptedFor(id)).isEqualTo(1);
    }

    @Test
    void unroutedEventsAreDeadLettersToo() {
        String id = Samples.freshId();
        bridge.postWebhook(Samples.envelope(id, "library.book.issued", "{}"), null);
        await().atMost(WITHIN).until(() -> "UNROUTED".equals(bridge.dispatchState(id)));

        JsonNode dead = find(get("/admin/dead-letters"), id);
        assertThat(dead.path("kind").asText()).isEqualTo("UNROUTED");
        assertThat(dead.path("target").isNull()).isTrue();
        assertThat(find(get("/admin/events?event=library.book.issued"), id).path("dispatch_state").asText())
                .isEqualTo("UNROUTED");
    }

    /**
     * The from and to filters take what the ops page shows, the school's time (Asia/Kolkata, UTC+05:30), as well as a
     * UTC instant: an event received at 04:00 UTC is one of 09:30 that day in the school.
     */
    @Test
    void timeFiltersTakeTheSchoolsTimesAndDaysAsWellAsInstants() {
        String id = Samples.freshId();
        bridge.postWebhook(Samples.envelope(id, "library.fine.paid", "{}"), null);
        await().atMost(WITHIN).until(() -> "UNROUTED".equals(bridge.dispatchState(id)));
        bridge.jdbc().update("UPDATE inbox_event SET received_at = ? WHERE event_id = ?",
                OffsetDateTime.parse("2026-03-10T04:00:00Z"), id);

        Map<String, Boolean> finds = new LinkedHashMap<>();
        finds.put("from=2026-03-10T09:30", true);
        finds.put("from=2026-03-10T09:30:01", false);
        finds.put("to=2026-03-10T09:30", false);
        finds.put("to=2026-03-10T09:30:01", true);
        finds.put("from=2026-03-10&to=2026-03-11", true);
        finds.put("from=2026-03-11", false);
        finds.put("to=2026-03-10", false);
        finds.put("from=2026-03-10T04:00:00Z", true);
        finds.put("from=2026-03-10T04:00:01Z", false);
        finds.put("from=2026-03-10T09:30:00%2B05:30", true);
        for (Map.Entry<String, Boolean> find : finds.entrySet()) {
            JsonNode events = get("/admin/events?event=library.fine.paid&" + find.getKey());
            assertThat(events.findValuesAsText("event_id").contains(id)).as(find.getKey()).isEqualTo(find.getValue());
        }
        HttpResponse<String> wrong = bridge.admin("GET", "/admin/events?from=2026-03-10T25:00", USER, PASSWORD, null);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(Samples.tree(wrong.body()).path("message").asText()).isEqualTo("from must be an ISO-8601 time such"
                + " as 2026-11-23T10:00:00Z, or a time or a day in the school's time zone (Asia/Kolkata) such as"
                + " 2026-11-23T15:30 or 2026-11-23, with a year from 0000 to 9999");
    }

    /** Posts a copy of a sample and waits until its delivery to the (down) ERP is a dead letter. */
    @Test
    void aPaymentIsShownAsTheLedgerHasItWithWhatBecameOfItsRecords() {
        String payment = "pay_" + Samples.freshId().substring(0, 8);
        String added = post("direct.payment.added", payment);
        await().atMost(WITHIN).until(() -> "DELIVERED".equals(bridge.deliveryState(added, "erp")));
        JsonNode booked = get("/admin/payments/" + payment);
        assertThat(booked.path("status").asText()).isEqualTo("ADDED");
        assertThat(booked.path("amount").decimalValue()).isEqualByComparingTo("5000.00");
        assertThat(booked.path("paid_day").asText()).isEqualTo("2024-06-01");
        assertThat(booked.path("event_id").asText()).isEqualTo(added);
        assertThat(booked.path("deliveries").get(0).path("target").asText()).isEqualTo("erp");
        assertThat(booked.path("deliveries").get(0).path("state").asText()).isEqualTo("DELIVERED");
        assertThat(booked.has("booked_deliveries")).isFalse();

        // Cancelled in Jodo: the cancellation decides it now, and the record that booked the money is still shown.
        String cancelled = post("direct.payment.cancelled", payment);
        await().atMost(WITHIN).until(() -> "DELIVERED".equals(bridge.deliveryState(cancelled, "erp")));
        JsonNode reversed = get("/admin/payments/" + payment);
        assertThat(reversed.path("status").asText()).isEqualTo("CANCELLED");
        assertThat(reversed.path("event_id").asText()).isEqualTo(cancelled);
        assertThat(reversed.path("booked_event_id").asText()).isEqualTo(added);
        assertThat(reversed.path("booked_deliveries").get(0).path("state").asText()).isEqualTo("DELIVERED");

        HttpResponse<String> unknown = bridge.admin("GET", "/admin/payments/pay_never_seen", USER, PASSWORD, null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Samples.tree(unknown.body()).path("message").asText())
                .isEqualTo("no payment pay_never_seen in the bridge's ledger");
    }

    /** Posts the sample as a record of this payment, the ERP taking it; returns its event id. */
    private static String post(String event, String payment) {
        String id = Samples.freshId();
        erp.script(id, Answer.status(201, "{\"ok\":true}"));
        assertThat(bridge.postWebhook(Samples.ofPayment(event, id, payment).getBytes(StandardCharsets.UTF_8), null)
                .statusCode()).isEqualTo(202);
        return id;
    }

    private static String deadLetter(String event) {
        String id = Samples.freshId();
        assertThat(bridge.postWebhook(Samples.withEventId(event, id), null).statusCode()).isEqualTo(202);
        await().atMost(WITHIN).until(() -> "DEAD".equals(bridge.deliveryState(id, "erp")));
        return id;
    }

    private static JsonNode get(String path) {
        HttpResponse<String> response = bridge.admin("GET", path, USER, PASSWORD, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Samples.tree(response.body());
    }

    private static List<JsonNode> audit() {
        List<JsonNode> entries = new ArrayList<>();
        get("/admin/audit").forEach(entries::add);
        return entries;
    }

    private static JsonNode find(JsonNode list, String eventId) {
        for (JsonNode item : list) {
            if (item.path("event_id").asText().equals(eventId)) {
                return item;
            }
        }
        throw new AssertionError(eventId + " not in " + list);
    }
}
