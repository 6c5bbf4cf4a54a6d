package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpHttpServer;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ERP that takes connections and does not answer (each attempt lasts its whole read timeout) beside the outbox:
 * the outbox's records are delivered as if the ERP were not there, the ERP's wait without a call saying why, and once
 * the ERP answers again every record reaches it, once.
 */
class HungTargetTest {

    @TempDir
    Path dataDir;

    @Test
    void aTargetThatDoesNotAnswerHoldsUpNoOtherTarget() throws Exception {
        try (ErpHttpServer erp = new ErpHttpServer()) {
            // Answers after 120 s, long past the 2 s read timeout: a hung ERP, as the bridge sees it.
            erp.otherwise(new ErpHttpServer.Answer(201, Duration.ofSeconds(120), "{}", null));
            Map<String, String> settings = besideTheOutbox(erp, "2s", "2s", "4s");
            try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings)) {
                List<String> ids = bridge.postEach(60, id -> Samples.withEventId("direct.payment.added", id));
                await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream()
                        .allMatch(id -> "DELIVERED".equals(bridge.deliveryState(id, "outbox"))));
                // Without the hold, the ERP's batch lasted as long as 60 attempts of 2 s on 8 threads (15 s and more).
                await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream().anyMatch(id -> lastError(bridge, id)
                        .contains("target 'erp' did not answer in time (an attempt had no answer after 1000 ms")));
                assertThat(ids).anySatisfy(id -> assertThat(lastError(bridge, id))
                        .contains("its deliveries wait without a call until one sent from time to time is answered"));
                assertThat(erp.requestsFor(ids.get(0)).size() + erp.requestsFor(ids.get(59)).size())
                        .as("held deliveries make no call").isLessThanOrEqualTo(4);

                erp.otherwise(ErpHttpServer.Answer.status(201, "{}"));
                await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream()
                        .allMatch(id -> "DELIVERED".equals(bridge.deliveryState(id, "erp"))));
                assertThat(ids).allSatisfy(id -> assertThat(erp.acceptedFor(id)).isEqualTo(1));
            }
        }
    }

    @Test
    void aProbeOfATargetThatStillDoesNotAnswerHoldsUpNoBatch() throws Exception {
        try (ErpHttpServer erp = new ErpHttpServer()) {
            erp.otherwise(new ErpHttpServer.Answer(201, Duration.ofSeconds(120), "{}", null));
            // A read timeout longer than the outbox may lag: a probe waited out in its batch would hold the outbox 8 s.
            Map<String, String> settings = besideTheOutbox(erp, "8s", "1s", "2s");
            try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings)) {
                String first = Samples.freshId();
                assertThat(bridge.postWebhook(Samples.withEventId("direct.payment.added", first), null).statusCode())
                        .isEqualTo(202);
                // Its first attempt waits out the read timeout, and puts the target on hold.
                await().atMost(Duration.ofSeconds(30)).until(() -> bridge.jdbc().queryForObject(
                        "SELECT COUNT(*) FROM delivery_attempt WHERE target = 'erp' AND duration_ms >= 7000",
                        Integer.class) > 0);

                // The target is on hold; its probes go out every second or two while a webhook comes every second.
                List<String> ids = bridge.postEverySecond(6,
                        id -> Samples.withEventId("direct.payment.added", id));
                await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream()
                        .allMatch(id -> "DELIVERED".equals(bridge.deliveryState(id, "outbox"))));
                assertThat(bridge.deliveryLags("outbox", ids)).hasSize(ids.size())
                        .allSatisfy(lag -> assertThat(lag).as("outbox lag, ms").isLessThan(6000));

                // The ERP answers again, slowly: the probe that outlives its wait is recorded delivered when answered,
                // and every record reaches the ERP once.
                erp.otherwise(new ErpHttpServer.Answer(201, Duration.ofSeconds(3), "{}", null));
                ids.add(first);
                await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream()
                        .allMatch(id -> "DELIVERED".equals(bridge.deliveryState(id, "erp"))));
                assertThat(ids).allSatisfy(id -> assertThat(erp.acceptedFor(id)).isEqualTo(1));
                assertThat(bridge.jdbc().queryForObject("""
                        SELECT COUNT(*) FROM delivery_attempt WHERE target = 'erp' AND outcome = 'DELIVERED'
                           AND duration_ms >= 3000""", Integer.class))
                        .as("attempts answered after their batch, recorded delivered").isPositive();
            }
        }
    }

    @Test
    void theFirstAttemptsOfATargetThatStopsAnsweringHoldUpNoBatch() throws Exception {
        try (ErpHttpServer erp = new ErpHttpServer()) {
            erp.otherwise(new ErpHttpServer.Answer(201, Duration.ofSeconds(120), "{}", null));
            // A read timeout longer than the outbox may lag (the shipped one is 30 s): the first attempts waited out in
            // their batch held the outbox that long.
            Map<String, String> settings = besideTheOutbox(erp, "8s", "1s", "2s");
            try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings)) {
                // A webhook a second from the moment the ERP stops answering.
                List<String> ids = bridge.postEverySecond(10,
                        id -> Samples.withEventId("direct.payment.added", id));
                await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream()
                        .allMatch(id -> "DELIVERED".equals(bridge.deliveryState(id, "outbox"))));
                assertThat(bridge.deliveryLags("outbox", ids)).hasSize(ids.size())
                        .allSatisfy(lag -> assertThat(lag).as("outbox lag, ms").isLessThan(5000));
                assertThat(ids).anySatisfy(id -> assertThat(lastError(bridge, id))
                        .contains("target 'erp' did not answer in time (an attempt had no answer after 1000 ms)"));

                // The ERP answers again: every record reaches it once, the first ones' late answers included.
                erp.otherwise(ErpHttpServer.Answer.status(201, "{}"));
                await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream()
                        .allMatch(id -> "DELIVERED".equals(bridge.deliveryState(id, "erp"))));
                assertThat(ids).allSatisfy(id -> assertThat(erp.acceptedFor(id)).isEqualTo(1));
            }
        }
    }

    /**
     * The ERP as a REST target with {@code readTimeout} beside the outbox; an attempt slower than 1 s puts a target on
     * hold, first for {@code initialBackoff}, doubling up to {@code maxBackoff}.
     */
    private static Map<String, String> besideTheOutbox(ErpHttpServer erp, String readTimeout, String initialBackoff,
                                                       String maxBackoff) {
        Map<String, String> settings = ErpTargets.soleTarget("rest", Map.of("url", erp.url(),
                "read-timeout", readTimeout));
        settings.put("bridge.targets.outbox.enabled", "true");
        settings.put("bridge.delivery.slow-attempt", "1s");
        settings.put("bridge.delivery.retry.initial-backoff", initialBackoff);
        settings.put("bridge.delivery.retry.max-backoff", maxBackoff);
        return settings;
    }

    private static String lastError(BridgeInstance bridge, String eventId) {
        List<String> errors = bridge.jdbc().queryForList(
                "SELECT last_error FROM delivery WHERE event_id = ? AND target = ?", String.class, eventId, "erp");
        return errors.isEmpty() || errors.get(0) == null ? "" : errors.get(0);
    }
}
