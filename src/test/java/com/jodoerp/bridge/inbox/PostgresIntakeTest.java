package com.jodoerp.bridge.inbox;

import static com.jodoerp.bridge.support.Answers.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.PostgresServerLog;
import com.jodoerp.bridge.support.RealDatabases;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production store: two bridge instances sharing the machine's real PostgreSQL, as behind a load
 * balancer. Deduplication must hold between them when copies arrive at the same moment.
 */
class PostgresIntakeTest {

    private static final String SECRET = "pg-secret";

    @TempDir
    static Path dataDir;
    static String database;
    static BridgeInstance first;
    static BridgeInstance second;

    @BeforeAll
    static void start() {
        database = RealDatabases.createPostgresDatabase();
        Map<String, String> settings = Map.of(
                "spring.datasource.url", RealDatabases.postgresUrl(database),
                "spring.datasource.username", RealDatabases.POSTGRES_USER,
                "spring.datasource.password", "",
                "bridge.webhook.secret", SECRET);
        first = BridgeInstance.start(dataDir.resolve("first"), settings);
        second = BridgeInstance.start(dataDir.resolve("second"), settings);
    }

    @AfterAll
    static void stop() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        if (database != null) {
            RealDatabases.dropPostgresDatabase(database);
        }
    }

    @Test
    void theTablesUpdatedByDispatchAndDeliveryLeaveRoomForHeapOnlyUpdatesAndVacuumEarly() {
        for (String table : List.of("inbox_event", "delivery")) {
            String options = first.jdbc().queryForObject(
                    "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = ?", String.class, table);
            assertThat(options).as(table).contains("fillfactor=").contains("autovacuum_vacuum_scale_factor=0.02");
        }
    }

    @Test
    void bodiesAndCanonicalRecordsAreStoredCompressedOutsideTheRowAndComeBackExact() {
        String id = Samples.freshId();
        byte[] body = Samples.withEventId("pay.payment.settled", id);
        assertThat(first.postWebhook(body, SECRET).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> "ROUTED".equals(first.dispatchState(id)));

        Map<String, Object> stored = first.jdbc().queryForMap("SELECT octet_length(raw_body) AS body_bytes,"
                + " pg_column_size(raw_body) AS body_stored, octet_length(canonical_record) AS record_bytes,"
                + " pg_column_size(canonical_record) AS record_stored, raw_body FROM inbox_event WHERE event_id = ?", id);
        assertThat(((Number) stored.get("body_stored")).intValue())
                .isLessThan(((Number) stored.get("body_bytes")).intValue());
        assertThat(((Number) stored.get("record_stored")).intValue())
                .isLessThan(((Number) stored.get("record_bytes")).intValue());
        assertThat((byte[]) stored.get("raw_body")).isEqualTo(body);
        Long toastBytes = first.jdbc().queryForObject("SELECT pg_relation_size(reltoastrelid) FROM pg_class"
                + " WHERE relname = 'inbox_event'", Long.class);
        assertThat(toastBytes).as("values kept beside the row, in the TOAST relation").isPositive();
    }

    @Test
    void textPostgresCannotHoldParksItsEventWithTheFieldNamedAndOthersFlow() {
        // JSON escapes a NUL; PostgreSQL text refuses it. Parked by the mapping, not by a database error at dispatch.
        String nul = Samples.freshId();
        String plain = Samples.freshId();
        for (String[] payload : List.of(new String[] {nul, "{\"jodo_student_id\":\"73\\u000011\"}"},
                new String[] {plain, "{\"jodo_student_id\":\"7311\"}"})) {
            assertThat(first.postWebhook(Samples.envelope(payload[0], "direct.payment.added", payload[1]), SECRET)
                    .statusCode()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(first.dispatchState(nul))
                && "ROUTED".equals(first.dispatchState(plain)));
        assertThat(first.parkedReason(nul)).isEqualTo("mapping failed: payload.jodo_student_id: text of 5 characters"
                + " holds a character no ERP stores (a control character such as NUL, or half of a surrogate pair)"
                + " at position 3");
    }

    @Test
    void everySampleIsStoredOnceWhicheverInstanceGetsIt() {
        for (String event : Samples.events()) {
            byte[] body = Samples.bytes(event);
            String id = Samples.eventId(body);
            assertThat(first.postWebhook(body, SECRET).statusCode()).as(event).isEqualTo(202);
            assertThat(second.postWebhook(body, SECRET).statusCode()).as(event).isEqualTo(200);
            byte[] stored = first.jdbc().queryForObject("SELECT raw_body FROM inbox_event WHERE event_id = ?",
                    byte[].class, id);
            assertThat(stored).isEqualTo(body);
        }
    }

    @Test
    void twentySimultaneousCopiesOnTwoInstancesGiveOne202AndOneRow() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            for (int round = 0; round < 5; round++) {
                String id = Samples.freshId();
                byte[] body = Samples.envelope(id, "flex.instalment.debited", "{\"payment\":{\"amount\":20500.0}}");
                CountDownLatch go = new CountDownLatch(1);
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    BridgeInstance target = i % 2 == 0 ? first : second;
                    answers.add(pool.submit(() -> {
                        go.await();
                        return target.postWebhook(body, SECRET);
                    }));
                }
                go.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<HttpResponse<String>> answer : answers) {
                    statuses.add(answer.get().statusCode());
                }
                assertThat(statuses).as("round " + round).containsOnly(202, 200);
                assertThat(statuses.stream().filter(s -> s == 202)).as("round " + round).hasSize(1);
                assertThat(first.inboxRows(id)).isEqualTo(1);
                assertThat(first.jdbc().queryForObject("SELECT COUNT(*) FROM jodo_event_id WHERE message_id = ?",
                        Integer.class, id)).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void copiesJodoSendsAgainAreAnsweredWithoutAnErrorInPostgresqlsOwnLog() {
        PostgresServerLog log = PostgresServerLog.fromNow();
        String id = Samples.freshId();
        byte[] body = Samples.withEventId("pay.payment.settled", id);
        assertThat(first.postWebhook(body, SECRET).statusCode()).isEqualTo(202);
        assertThat(first.postWebhook(body, SECRET).statusCode()).isEqualTo(200);
        assertThat(second.postWebhook(body, SECRET).statusCode()).isEqualTo(200);
        // An error of the test's own shows that the log read is the one the server writes its errors to.
        String mark = "mark-" + Samples.freshId();
        assertThatThrownBy(() -> first.jdbc().queryForObject("SELECT CAST(? AS integer)", Integer.class, mark))
                .hasMessageContaining("invalid input syntax");

        assertThat(log.sinceStart()).contains(mark).doesNotContain(id);
    }

    @Test
    void aFailedStoreLeavesNoEventIdBehindSoJodosRetryIsAccepted() {
        String id = Samples.freshId();
        byte[] body = Samples.envelope(id, "cred.emi.debited", "{}");
        first.jdbc().execute("ALTER TABLE inbox_event RENAME TO inbox_event_away");
        HttpResponse<String> failed;
        try {
            failed = first.postWebhook(body, SECRET);
        } finally {
            first.jdbc().execute("ALTER TABLE inbox_event_away RENAME TO inbox_event");
        }
        assertRefused(failed, 503, "store_unavailable");
        assertThat(first.jdbc().queryForObject("SELECT COUNT(*) FROM jodo_event_id WHERE message_id = ?",
                Integer.class, id)).isZero();

        assertThat(second.postWebhook(body, SECRET).statusCode()).isEqualTo(202);
        assertThat(first.inboxRows(id)).isEqualTo(1);
    }
}
