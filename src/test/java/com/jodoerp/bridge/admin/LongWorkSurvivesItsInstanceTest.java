package com.jodoerp.bridge.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpHttpServer;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.RealDatabases;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Work that outlives its instance: a delivery slower than its claim lease is never attempted by a second instance
 * (the claim is renewed while it runs), and a bulk replay left RUNNING by a dead instance is resumed, by another
 * instance on PostgreSQL and by the next start on the embedded store.
 */
class LongWorkSurvivesItsInstanceTest {

    @TempDir
    Path dataDir;

    @Test
    void aDeliverySlowerThanItsLeaseIsAttemptedByOneInstanceOnly() throws Exception {
        String database = RealDatabases.createPostgresDatabase();
        List<BridgeInstance> bridges = new ArrayList<>();
        try (ErpHttpServer erp = new ErpHttpServer()) {
            for (int i = 0; i < 2; i++) {
                Map<String, String> settings = postgres(database, erp);
                settings.put("bridge.delivery.claim-lease", "3s");
                bridges.add(BridgeInstance.start(dataDir.resolve("instance-" + i), settings));
            }
            String id = Samples.freshId();
            // The ERP takes three leases to answer; the other instance polls every 50 ms all the while.
            erp.script(id, new ErpHttpServer.Answer(201, Duration.ofSeconds(9), "{\"ok\":true}", null));
            assertThat(bridges.get(0).postWebhook(Samples.withEventId("direct.payment.added", id), null)
                    .statusCode()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(bridges.get(1)
                    .deliveryState(id, "erp")));
            assertThat(erp.requestsFor(id)).hasSize(1);
            assertThat(bridges.get(1).deliveryAttempts(id, "erp")).isEqualTo(1);
        } finally {
            bridges.forEach(BridgeInstance::close);
            RealDatabases.dropPostgresDatabase(database);
        }
    }

    @Test
    void aBulkReplayLeftByADeadInstanceIsResumedByAnother() throws Exception {
        String database = RealDatabases.createPostgresDatabase();
        List<BridgeInstance> bridges = new ArrayList<>();
        try (ErpHttpServer erp = new ErpHttpServer()) {
            for (int i = 0; i < 2; i++) {
                Map<String, String> settings = OperatorsTest.withOperator(postgres(database, erp));
                settings.put("bridge.replay.resume-interval", "200ms");
                settings.put("bridge.replay.claim-lease", "3s");
                bridges.add(BridgeInstance.start(dataDir.resolve("instance-" + i), settings));
            }
            List<String> ids = deadLetters(bridges.get(0), erp, 200);
            // As an instance killed in the middle of the job's second chunk leaves it: RUNNING, claimed, its lease
            // run out, 150 replayed (those deliveries due again, each with its item) and only the first chunk counted.
            // Its lease runs out once that state is written, so that no instance takes the job over half-written.
            String job = abandonedJob(bridges.get(0), ids.size(), OffsetDateTime.now(ZoneOffset.UTC).plusHours(1));
            erp.otherwise(ErpHttpServer.Answer.status(201, "{\"ok\":true}"));
            OffsetDateTime replayedAt = OffsetDateTime.now(ZoneOffset.UTC);
            for (String id : ids.subList(0, 150)) {
                bridges.get(0).jdbc().update("UPDATE delivery SET state = 'PENDING', next_attempt_at = ?"
                        + " WHERE event_id = ?", replayedAt, id);
                bridges.get(0).jdbc().update("INSERT INTO replay_job_item (job_id, event_id, target, replayed_at)"
                        + " VALUES (?, ?, 'erp', ?)", job, id, replayedAt);
            }
            bridges.get(0).jdbc().update("UPDATE replay_job SET done = 100, claimed_until = ? WHERE id = ?",
                    OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1), job);

            await().atMost(Duration.ofSeconds(60)).until(() -> "DONE".equals(jobState(bridges.get(1), job)));
            // What the ops page shows: every replay counted, the dead instance's too, as its outcomes count them.
            HttpResponse<String> answer = bridges.get(1).admin("GET", "/admin/replays/" + job,
                    OperatorsTest.USER, OperatorsTest.PASSWORD, null);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode shown = Samples.tree(answer.body());
            assertThat(shown.path("done").asInt()).isEqualTo(200);
            assertThat(shown.path("total").asInt()).isEqualTo(200);
            assertThat(shown.path("outcomes").path("replayed").asInt()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream()
                    .allMatch(id -> "DELIVERED".equals(bridges.get(1).deliveryState(id, "erp"))));
            for (String id : ids) {
                assertThat(erp.acceptedFor(id)).as(id).isEqualTo(1);
                assertThat(erp.requestsFor(id)).as(id).hasSize(2);
            }
        } finally {
            bridges.forEach(BridgeInstance::close);
            RealDatabases.dropPostgresDatabase(database);
        }
    }

    @Test
    void onTheEmbeddedStoreTheNextStartResumesABulkReplay() throws Exception {
        try (ErpHttpServer erp = new ErpHttpServer()) {
            Map<String, String> settings = ErpTargets.soleTarget("rest", Map.of("url", erp.url()));
            settings.put("bridge.replay.resume-interval", "200ms");
            List<String> ids;
            String job;
            try (BridgeInstance first = BridgeInstance.start(dataDir, settings)) {
                ids = deadLetters(first, erp, 20);
                // Claimed for another hour by a process that was killed: only the next start can know it is gone.
                job = abandonedJob(first, ids.size(), OffsetDateTime.now(ZoneOffset.UTC).plusHours(1));
            }
            erp.otherwise(ErpHttpServer.Answer.status(201, "{\"ok\":true}"));
            try (BridgeInstance again = BridgeInstance.start(dataDir, settings)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> "DONE".equals(jobState(again, job)));
                await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream()
                        .allMatch(id -> "DELIVERED".equals(again.deliveryState(id, "erp"))));
                ids.forEach(id -> assertThat(erp.acceptedFor(id)).as(id).isEqualTo(1));
            }
        }
    }

    private static Map<String, String> postgres(String database, ErpHttpServer erp) {
        Map<String, String> settings = ErpTargets.soleTarget("rest", Map.of("url", erp.url()));
        settings.putAll(RealDatabases.postgresStore(database));
        return settings;
    }

    /** Posts {@code count} payments that the ERP refuses for good (422): each becomes a dead letter. */
    private static List<String> deadLetters(BridgeInstance bridge, ErpHttpServer erp, int count) {
        erp.otherwise(ErpHttpServer.Answer.status(422, "{\"error\":\"closed period\"}"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = Samples.freshId();
            ids.add(id);
            assertThat(bridge.postWebhook(Samples.withEventId("direct.payment.added", id), null).statusCode())
                    .isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream()
                .allMatch(id -> "DEAD".equals(bridge.deliveryState(id, "erp"))));
        return ids;
    }

    /** A bulk replay of every dead letter, RUNNING and claimed until {@code claimedUntil} by an instance now gone. */
    private static String abandonedJob(BridgeInstance bridge, int total, OffsetDateTime claimedUntil) {
        String job = Samples.freshId();
        bridge.jdbc().update("""
                INSERT INTO replay_job (id, created_by, created_at, filter_json, state, total, done, claim_token,
                                        claimed_until)
                VALUES (?, 'ops', ?, '{}', 'RUNNING', ?, 0, 'a-dead-instance', ?)""",
                job, OffsetDateTime.now(ZoneOffset.UTC), total, claimedUntil);
        return job;
    }

    private static String jobState(BridgeInstance bridge, String job) {
        return bridge.jdbc().queryForObject("SELECT state FROM replay_job WHERE id = ?", String.class, job);
    }
}
