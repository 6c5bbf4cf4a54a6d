package com.jodoerp.bridge.admin;

import static org.assertj.core.api.Assertions.assertThat;
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
import com.jodoerp.bridge.support.ErpHttpServer;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.RealDatabases;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three bridge instances on one PostgreSQL, as behind a load balancer, each receiving every event ten times
 * at once: every event is stored once and delivered to the ERP exactly once.
 */
class MultiInstanceTest {

    @TempDir
    Path dataDir;

    @Test
    void threeInstancesDeliverEachEventExactlyOnce() throws Exception {
        String database = RealDatabases.createPostgresDatabase();
        List<BridgeInstance> bridges = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(30);
        try (ErpHttpServer erp = new ErpHttpServer()) {
            for (int i = 0; i < 3; i++) {
                Map<String, String> settings = ErpTargets.soleTarget("rest", Map.of("url", erp.url()));
                settings.putAll(RealDatabases.postgresStore(database));
                settings.put("bridge.dispatch.batch-size", "5");
                settings.put("bridge.delivery.batch-size", "5");
                bridges.add(BridgeInstance.start(dataDir.resolve("instance-" + i), settings));
            }
            List<String> ids = new ArrayList<>();
            for (String event : Samples.events()) {
                String id = Samples.freshId();
                ids.add(id);
                byte[] body = Samples.withEventId(event, id);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (int copy = 0; copy < 30; copy++) {
                    BridgeInstance bridge = bridges.get(copy % 3);
                    answers.add(senders.submit(() -> {
                        go.await();
                        return bridge.postWebhook(body, null);
                    }));
                }
                go.countDown();
                int accepted = 0;
                for (Future<HttpResponse<String>> answer : answers) {
                    int status = answer.get().statusCode();
                    assertThat(status).isIn(200, 202);
                    accepted += status == 202 ? 1 : 0;
                }
                assertThat(accepted).as(event).isEqualTo(1);
            }
            BridgeInstance any = bridges.get(0);
            await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream()
                    .allMatch(id -> "DELIVERED".equals(any.deliveryState(id, "erp"))));
            for (String id : ids) {
                assertThat(erp.requestsFor(id)).as(id).hasSize(1);
                assertThat(any.inboxRows(id)).isEqualTo(1);
                assertThat(any.deliveryAttempts(id, "erp")).isEqualTo(1);
            }
        } finally {
            senders.shutdownNow();
            bridges.forEach(BridgeInstance::close);
            RealDatabases.dropPostgresDatabase(database);
        }
    }
}
