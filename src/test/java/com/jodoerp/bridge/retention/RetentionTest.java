package com.jodoerp.bridge.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpHttpServer;
import com.jodoerp.bridge.support.ErpHttpServer.Answer;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finished events go after the retention period; dead letters stay; event ids outlive them by at least a week. */
class RetentionTest {

    @TempDir
    Path dataDir;

    @Test
    void oldFinishedEventsArePrunedAndEverythingElseKept() throws IOException {
        // Cred events also go to an ERP that is down for good: after one attempt their delivery is a dead letter.
        try (ErpHttpServer erp = new ErpHttpServer(); BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of(
                "bridge.targets.erp.transport", "rest",
                "bridge.targets.erp.families", "cred",
                "bridge.targets.erp.options.url", erp.url(),
                "bridge.delivery.retry.max-attempts", "1",
                "bridge.retention.delivered", "1d",
                "bridge.retention.dedup-keys", "1d",
                "bridge.retention.interval", "300ms",
                "bridge.retention.batch-size", "2"))) {
            erp.otherwise(Answer.status(503, "{\"error\":\"maintenance\"}"));
            String threeDaysOld = delivered(bridge, "flex.instalment.debited");
            String tenDaysOld = delivered(bridge, "pay.payment.settled");
            String recent = delivered(bridge, "direct.payment.added");
            String parked = Samples.freshId();
            bridge.postWebhook(Samples.envelope(parked, "library.book.issued", "{}"), null);
            await().atMost(Duration.ofSeconds(30)).until(() -> "UNROUTED".equals(bridge.dispatchState(parked)));
            String deadLetter = delivered(bridge, "cred.emi.debited");
            await().atMost(Duration.ofSeconds(30)).until(() -> "DEAD".equals(bridge.deliveryState(deadLetter, "erp")));

            age(bridge, threeDaysOld, Duration.ofDays(3));
            age(bridge, tenDaysOld, Duration.ofDays(10));
            age(bridge, parked, Duration.ofDays(30));
            age(bridge, deadLetter, Duration.ofDays(30));

            await().atMost(Duration.ofSeconds(30)).until(() -> bridge.inboxRows(threeDaysOld) == 0
                    && bridge.inboxRows(tenDaysOld) == 0);
            assertThat(bridge.jdbc().queryForObject("SELECT COUNT(*) FROM delivery WHERE event_id IN (?, ?)",
                    Integer.class, threeDaysOld, tenDaysOld)).isZero();
            assertThat(bridge.jdbc().queryForObject("SELECT COUNT(*) FROM delivery_attempt WHERE event_id IN (?, ?)",
                    Integer.class, threeDaysOld, tenDaysOld)).isZero();
            assertThat(bridge.inboxRows(recent)).isEqualTo(1);
            assertThat(bridge.inboxRows(parked)).as("unrouted events wait for an operator").isEqualTo(1);
            assertThat(bridge.inboxRows(deadLetter)).as("dead letters wait for an operator").isEqualTo(1);
            assertThat(bridge.deliveryState(deadLetter, "erp")).isEqualTo("DEAD");

            // Within a week of receipt the id is still known: Jodo's late retry is a duplicate, not a new event.
            assertThat(bridge.postWebhook(Samples.withEventId("flex.instalment.debited", threeDaysOld), null)
                    .statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> bridge.jdbc().queryForObject(
                    "SELECT COUNT(*) FROM jodo_event_id WHERE message_id = ?", Integer.class, tenDaysOld) == 0);
        }
    }

    private static String delivered(BridgeInstance bridge, String event) {
        String id = Samples.freshId();
        assertThat(bridge.postWebhook(Samples.withEventId(event, id), null).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "outbox")));
        return id;
    }

    /** Moves an event's receipt (and its id's) back in time, as if it had come in {@code age} ago. */
    private static void age(BridgeInstance bridge, String id, Duration age) {
        OffsetDateTime then = OffsetDateTime.ofInstant(Instant.now().minus(age), ZoneOffset.UTC);
        bridge.jdbc().update("UPDATE inbox_event SET received_at = ? WHERE event_id = ?", then, id);
        bridge.jdbc().update("UPDATE jodo_event_id SET created_at = ? WHERE message_id = ?", then, id);
    }
}
