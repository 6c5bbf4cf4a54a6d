package com.jodoerp.bridge.inbox;

import static com.jodoerp.bridge.support.Answers.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhooks arriving together share a commit, and still each get the answer of their own event. */
class GroupCommitTest {

    private static final int TOGETHER = 48;

    @TempDir
    static Path dataDir;

    static BridgeInstance bridge;

    @BeforeAll
    static void start() {
        bridge = BridgeInstance.start(dataDir, Map.of());
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    @Test
    void webhooksArrivingTogetherShareCommitsAndAreEachStoredAndAnswered() throws Exception {
        long transactionsBefore = bridge.metric("bridge_intake_batch_webhooks_count");
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        for (int i = 0; i < TOGETHER; i++) {
            String id = Samples.freshId();
            bodies.put(id, Samples.withEventId("flex.instalment.debited", id));
        }
        String copied = bodies.keySet().iterator().next();

        List<Integer> statuses = postTogether(new ArrayList<>(bodies.values()), bodies.get(copied)).stream()
                .map(HttpResponse::statusCode).toList();

        assertThat(statuses.subList(1, TOGETHER)).containsOnly(202);
        assertThat(List.of(statuses.get(0), statuses.get(TOGETHER))).as("an event and its copy, sent together")
                .containsExactlyInAnyOrder(202, 200);
        bodies.keySet().forEach(id -> assertThat(bridge.inboxRows(id)).as(id).isEqualTo(1));
        assertThat(bridge.metric("bridge_intake_batch_webhooks_count") - transactionsBefore)
                .as("transactions for %d webhooks sent at once", TOGETHER + 1).isLessThan(TOGETHER + 1);
    }

    @Test
    void oneWebhookTheStoreRefusesDoesNotFailTheOthersInItsBatch() throws Exception {
        String poison = Samples.freshId();
        bridge.jdbc().execute("ALTER TABLE inbox_event ADD CONSTRAINT refuse_one CHECK (event_id <> '" + poison + "')");
        try {
            List<byte[]> bodies = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < TOGETHER; i++) {
                String id = i == TOGETHER / 2 ? poison : Samples.freshId();
                ids.add(id);
                bodies.add(Samples.withEventId("cred.emi.debited", id));
            }

            List<HttpResponse<String>> answers = postTogether(bodies, null);

            for (int i = 0; i < TOGETHER; i++) {
                String id = ids.get(i);
                if (id.equals(poison)) {
                    assertRefused(answers.get(i), 503, "store_unavailable");
                    assertThat(bridge.inboxRows(id)).isZero();
                    assertThat(bridge.jdbc().queryForObject("SELECT COUNT(*) FROM jodo_event_id WHERE message_id = ?",
                            Integer.class, id)).as("no id left behind to turn Jodo's retry into a duplicate").isZero();
                } else {
                    assertThat(answers.get(i).statusCode()).as(id).isEqualTo(202);
                    assertThat(bridge.inboxRows(id)).as(id).isEqualTo(1);
                }
            }
        } finally {
            bridge.jdbc().execute("ALTER TABLE inbox_event DROP CONSTRAINT refuse_one");
        }
        byte[] retry = Samples.withEventId("cred.emi.debited", poison);
        HttpResponse<String> accepted = bridge.postWebhook(retry, null);
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(bridge.postWebhook(retry, null).statusCode()).isEqualTo(200);
        assertThat(bridge.inboxRows(poison)).isEqualTo(1);
    }

    /** Posts every body at the same moment (and the extra one last, if any); the answers in the same order. */
    private static List<HttpResponse<String>> postTogether(List<byte[]> bodies, byte[] extra) throws Exception {
        List<byte[]> all = new ArrayList<>(bodies);
        if (extra != null) {
            all.add(extra);
        }
        ExecutorService pool = Executors.newFixedThreadPool(all.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> pending = new ArrayList<>();
            for (byte[] body : all) {
                pending.add(pool.submit(() -> {
                    go.await();
                    return bridge.postWebhook(body, null);
                }));
            }
            go.countDown();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : pending) {
                answers.add(answer.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
