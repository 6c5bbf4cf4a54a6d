package com.jodoerp.bridge.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpHttpServer;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.RealDatabases;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One bad event never holds up the others. Poison of every kind goes in among 50 normal events (and one with a
 * UTF-8 byte-order mark, which is ignored): bodies the door refuses (UTF-16, a number of a million digits), an amount
 * the mapper cannot take, and what an older bridge may have left in the store (a UTF-16 body waiting for dispatch,
 * deliveries whose stored event or record cannot be read). Every normal event reaches the ERP exactly once (the ERP counts the requests, for longer than two
 * claim leases), every poison event is parked or dead-lettered with a reason that names the step and the field, and
 * the admin view shows each one. On the embedded store and on PostgreSQL.
 */
class PoisonEventsTest {

    private static final String SECRET = "poison-secret";
    private static final String OPERATOR = "ops";
    private static final String PASSWORD = "poison-ops-password";

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void poisonIsIsolatedAndEveryNeighbourIsDeliveredOnce(String store) throws Exception {
        String database = store.equals("postgresql") ? RealDatabases.createPostgresDatabase() : null;
        try (ErpHttpServer erp = new ErpHttpServer()) {
            Map<String, String> settings = ErpTargets.soleTarget("rest", Map.of("url", erp.url()));
            settings.put("bridge.webhook.secret", SECRET);
            settings.put("bridge.admin.username", OPERATOR);
            settings.put("bridge.admin.password", PASSWORD);
            // Slow polls gather everything below into the same batches; a short lease would re-send any delivery
            // left unrecorded within the time the test watches the ERP.
            settings.put("bridge.dispatch.poll-interval", "2s");
            settings.put("bridge.delivery.poll-interval", "2s");
            settings.put("bridge.delivery.claim-lease", "3s");
            settings.put("bridge.dispatch.claim-lease", "3s");
            if (database != null) {
                settings.putAll(RealDatabases.postgresStore(database));
            }
            try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings)) {
                run(bridge, erp);
            }
        } finally {
            if (database != null) {
                RealDatabases.dropPostgresDatabase(database);
            }
        }
    }

    private void run(BridgeInstance bridge, ErpHttpServer erp) throws Exception {
        byte[] sample = Samples.withEventId("direct.payment.added", Samples.freshId());
        String text = new String(sample, StandardCharsets.UTF_8);

        // Refused at the door: 400 with the rule's error code, nothing stored.
        assertRefused(bridge, text.getBytes(StandardCharsets.UTF_16LE), "invalid_encoding");
        assertRefused(bridge, text.replace("\"amount\": 5000.0", "\"amount\": 1e999999")
                .getBytes(StandardCharsets.UTF_8), "invalid_number");
        assertThat(bridge.inboxRows()).isZero();

        // What an older bridge may have stored: bodies that break today's rule, and unreadable deliveries.
        JdbcTemplate store = bridge.jdbc();
        String utf16 = legacyEvent(store, "flex.instalment.debited",
                body -> new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16LE), null);
        String unreadableBody = legacyEvent(store, "cred.emi.debited",
                body -> concat(body, new byte[] {(byte) 0xC3, (byte) 0x28}), "{}");
        String unreadableRecord = legacyEvent(store, "masterdata.student.registered", body -> body, "{not json");

        // Accepted, and unmappable: an amount of a million digits written as text.
        String hugeAmountId = Samples.freshId();
        byte[] hugeAmount = new String(Samples.withEventId("direct.payment.added", hugeAmountId), StandardCharsets.UTF_8)
                .replace("\"amount\": 5000.0", "\"amount\": \"1e999999\"").getBytes(StandardCharsets.UTF_8);
        assertThat(bridge.postWebhook(hugeAmount, SECRET).statusCode()).isEqualTo(202);

        // Accepted, and unmappable: a payment id longer than the payment ledger (and any example ERP table) keys.
        String longIdId = Samples.freshId();
        byte[] longId = new String(Samples.withEventId("direct.payment.added", longIdId), StandardCharsets.UTF_8)
                .replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": \"" + "p".repeat(200) + "\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(bridge.postWebhook(longId, SECRET).statusCode()).isEqualTo(202);

        // A UTF-8 byte-order mark is ignored (RFC 8259 lets a parser do so): accepted, and delivered like the rest.
        List<String> normal = new ArrayList<>();
        String bom = Samples.freshId();
        normal.add(bom);
        assertThat(bridge.postWebhook(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                Samples.withEventId("pay.payment.settled", bom)), SECRET).statusCode()).isEqualTo(202);
        // The largest amount the door takes (15 digits before the point) is no poison: delivered and in the ledger.
        String largest = Samples.freshId();
        normal.add(largest);
        assertThat(bridge.postWebhook(new String(Samples.withEventId("direct.payment.added", largest),
                StandardCharsets.UTF_8).replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": \"pay_" + largest + "\"")
                .replace("\"amount\": 5000.0", "\"amount\": 999999999999999.99").getBytes(StandardCharsets.UTF_8),
                SECRET).statusCode()).isEqualTo(202);
        List<String> events = Samples.events();
        for (int i = 0; i < 50; i++) {
            String id = Samples.freshId();
            normal.add(id);
            assertThat(bridge.postWebhook(Samples.withEventId(events.get(i % events.size()), id), SECRET).statusCode())
                    .isEqualTo(202);
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String id : normal) {
                assertThat(bridge.deliveryState(id, "erp")).as(id).isEqualTo("DELIVERED");
            }
        });
        // Exactly once, and still once after more than two claim leases: nothing was left claimed and unrecorded.
        await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(15)).until(() ->
                normal.stream().allMatch(id -> erp.requestsFor(id).size() == 1));

        assertThat(bridge.dispatchState(hugeAmountId)).isEqualTo("FAILED");
        assertThat(bridge.parkedReason(hugeAmountId)).startsWith("mapping failed: payload.payment.amount:")
                .contains("more than 15 digits before the decimal point");
        assertThat(store.queryForObject("SELECT amount FROM payment_ledger WHERE payment_id = ?", BigDecimal.class,
                "pay_" + largest)).isEqualByComparingTo("999999999999999.99");
        assertThat(bridge.dispatchState(longIdId)).isEqualTo("FAILED");
        assertThat(bridge.parkedReason(longIdId))
                .isEqualTo("mapping failed: payload.payment.id: an identifier of 200 characters; Jodo's ids are kept up to 128");
        assertThat(bridge.dispatchState(utf16)).isEqualTo("FAILED");
        assertThat(bridge.parkedReason(utf16)).startsWith("reading the stored event failed:").contains("UTF-16");
        assertThat(bridge.deliveryState(unreadableBody, "erp")).isEqualTo("DEAD");
        assertThat(lastError(store, unreadableBody)).contains("reading the stored event failed")
                .contains("not valid UTF-8");
        assertThat(bridge.deliveryState(unreadableRecord, "erp")).isEqualTo("DEAD");
        assertThat(lastError(store, unreadableRecord)).contains("reading the stored canonical record failed");
        assertThat(erp.requestsFor(unreadableBody)).isEmpty();
        assertThat(erp.requestsFor(unreadableRecord)).isEmpty();

        // The operator sees every one of them: never a 500, an unreadable body shown as base64 with a note.
        for (String id : List.of(hugeAmountId, longIdId, utf16, unreadableBody, unreadableRecord, bom)) {
            HttpResponse<String> view = bridge.admin("GET", "/admin/events/" + id, OPERATOR, PASSWORD, null);
            assertThat(view.statusCode()).as(id + ": " + view.body()).isEqualTo(200);
        }
        JsonNode shown = Samples.tree(bridge.admin("GET", "/admin/events/" + utf16, OPERATOR, PASSWORD, null).body());
        assertThat(shown.path("raw_payload").isNull()).isTrue();
        assertThat(shown.path("raw_note").asText()).contains("UTF-16").endsWith("shown as base64");
        assertThat(Base64.getDecoder().decode(shown.path("raw_base64").asText()))
                .isEqualTo(store.queryForObject("SELECT raw_body FROM inbox_event WHERE event_id = ?", byte[].class,
                        utf16));
        JsonNode record = Samples.tree(bridge.admin("GET", "/admin/events/" + unreadableRecord, OPERATOR, PASSWORD,
                null).body());
        assertThat(record.path("canonical_record_text").asText()).isEqualTo("{not json");
        JsonNode deadLetters = Samples.tree(bridge.admin("GET", "/admin/dead-letters", OPERATOR, PASSWORD, null)
                .body());
        assertThat(deadLetters.findValuesAsText("event_id"))
                .contains(hugeAmountId, utf16, unreadableBody, unreadableRecord).doesNotContain(bom);
    }

    private static void assertRefused(BridgeInstance bridge, byte[] body, String code) {
        HttpResponse<String> answer = bridge.postWebhook(body, SECRET);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(Samples.tree(answer.body()).path("error").asText()).isEqualTo(code);
    }

    /**
     * Stores an event the way an older bridge could have: its sample body spoilt by {@code spoil}, waiting for
     * dispatch; or, with a {@code canonicalRecord}, already routed with a delivery to the ERP due now.
     */
    private static String legacyEvent(JdbcTemplate store, String event, UnaryOperator<byte[]> spoil,
                                      String canonicalRecord) {
        String id = Samples.freshId();
        byte[] body = spoil.apply(Samples.withEventId(event, id));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        store.update("""
                INSERT INTO inbox_event (event_id, event_name, event_timestamp, received_at, remote_address, raw_body,
                                         dispatch_state, family, canonical_record, dispatched_at)
                VALUES (?, ?, 1717232400, ?, '127.0.0.1', ?, ?, ?, ?, ?)""",
                id, event, now, body, canonicalRecord == null ? "PENDING" : "ROUTED",
                canonicalRecord == null ? null : Samples.familyOf(event), canonicalRecord,
                canonicalRecord == null ? null : now);
        if (canonicalRecord != null) {
            store.update("""
                    INSERT INTO delivery (event_id, target, state, attempts, budget_attempts, next_attempt_at,
                                          created_at, retry_since)
                    VALUES (?, 'erp', 'PENDING', 0, 0, ?, ?, ?)""", id, now, now, now);
        }
        return id;
    }

    private static String lastError(JdbcTemplate store, String eventId) {
        return store.queryForObject("SELECT last_error FROM delivery WHERE event_id = ? AND target = 'erp'",
                String.class, eventId);
    }

    private static byte[] concat(byte[] head, byte[] tail) {
        byte[] all = new byte[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
