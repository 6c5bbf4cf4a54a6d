package com.jodoerp.bridge.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jodoerp.bridge.canonical.CanonicalMapper;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Folders;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * From POST to the embedded default target: every sample ends up as its canonical record in
 * {@code <data>/erp-outbox/<family>/<event_id>.json}; what cannot be routed or mapped is parked, not delivered.
 */
class DispatchToFileTargetTest {

    private static final Duration DELIVERED_WITHIN = Duration.ofSeconds(30);

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

    private static Path outbox() {
        return dataDir.resolve("erp-outbox");
    }

    @Test
    void everySampleReachesTheOutboxAsItsCanonicalRecord() throws IOException {
        for (String event : Samples.events()) {
            assertThat(bridge.postWebhook(Samples.bytes(event), null).statusCode()).isEqualTo(202);
        }
        for (String event : Samples.events()) {
            byte[] sample = Samples.bytes(event);
            Path file = outbox().resolve(Samples.familyOf(event)).resolve(Samples.eventId(sample) + ".json");
            await().atMost(DELIVERED_WITHIN).until(() -> Files.exists(file));

            JsonNode written = CanonicalMapper.read(Files.readAllBytes(file));
            JsonNode golden = CanonicalMapper.read(resource("/canonical/" + event + ".json"));
            assertThat(written.path("received_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            ((ObjectNode) golden).set("received_at", written.get("received_at"));
            assertThat(CanonicalMapper.write(written)).as(event).isEqualTo(CanonicalMapper.write(golden));
        }
        assertThat(Folders.files(outbox()).stream().map(p -> p.getFileName().toString()))
                .as("no temporary files are left behind").noneMatch(n -> n.endsWith(".tmp"));
    }

    /**
     * A record whose write fails as on a full disk (its temporary name leads to /dev/full, which answers every write
     * so) leaves no part of a file behind, and its next try delivers it.
     */
    @Test
    void aWriteThatFailsLeavesNoPartOfAFileAndTheNextTryDelivers() throws IOException {
        String id = Samples.freshId();
        Path folder = Files.createDirectories(outbox().resolve("flex"));
        Path temporary = folder.resolve("." + id + ".json.tmp");
        Files.createSymbolicLink(temporary, Path.of("/dev/full"));

        assertThat(bridge.postWebhook(Samples.withEventId("flex.instalment.debited", id), null).statusCode())
                .isEqualTo(202);

        await().atMost(DELIVERED_WITHIN).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "outbox")));
        assertThat(bridge.jdbc().queryForObject("SELECT error FROM delivery_attempt WHERE event_id = ? AND attempt = 1",
                String.class, id)).contains("No space left on device");
        assertThat(Samples.tree(Files.readString(folder.resolve(id + ".json"))).path("event_id").asText())
                .isEqualTo(id);
        assertThat(Files.exists(temporary, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void anEventWithNoRouteIsAcceptedAndParkedAsUnrouted() {
        String id = Samples.freshId();
        byte[] body = Samples.envelope(id, "library.book.issued", "{\"book\":\"Panchatantra\"}");
        assertThat(bridge.postWebhook(body, null).statusCode()).isEqualTo(202);

        await().atMost(DELIVERED_WITHIN).until(() -> "UNROUTED".equals(bridge.dispatchState(id)));
        assertThat(bridge.parkedReason(id)).contains("library.book.issued");
        assertNothingDelivered(id);
    }

    @Test
    void anUnknownEventInAKnownFamilyIsParkedNotGuessed() {
        String id = Samples.freshId();
        byte[] body = Samples.envelope(id, "flex.instalment.refunded", "{\"payment\":{\"amount\":100}}");
        assertThat(bridge.postWebhook(body, null).statusCode()).isEqualTo(202);

        await().atMost(DELIVERED_WITHIN).until(() -> "UNROUTED".equals(bridge.dispatchState(id)));
        assertThat(bridge.parkedReason(id)).contains("flex.instalment.refunded");
        assertNothingDelivered(id);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"\"five thousand\" | not a number",
        // Booked as sent, it would turn the entry around.
        "-5000 | below zero"})
    void aValueThatCannotBeMappedParksTheEventWithTheFieldNamed(String amount, String reason) {
        String id = Samples.freshId();
        byte[] body = Samples.envelope(id, "direct.payment.added",
                "{\"jodo_student_id\":\"s1\",\"payment\":{\"id\":\"p1\",\"amount\":" + amount + "}}");
        assertThat(bridge.postWebhook(body, null).statusCode()).isEqualTo(202);

        await().atMost(DELIVERED_WITHIN).until(() -> "FAILED".equals(bridge.dispatchState(id)));
        assertThat(bridge.parkedReason(id)).contains("payload.payment.amount").contains(reason);
        assertNothingDelivered(id);
    }

    @Test
    void theRawPayloadIsKeptBesideTheCanonicalRecord() {
        String id = Samples.freshId();
        byte[] body = Samples.withEventId("flex.instalment.debited", id);
        assertThat(bridge.postWebhook(body, null).statusCode()).isEqualTo(202);
        await().atMost(DELIVERED_WITHIN).until(() -> "ROUTED".equals(bridge.dispatchState(id)));

        Map<String, Object> row = bridge.jdbc().queryForMap(
                "SELECT raw_body, canonical_record FROM inbox_event WHERE event_id = ?", id);
        assertThat((byte[]) row.get("RAW_BODY")).isEqualTo(body);
        assertThat(CanonicalMapper.read(((String) row.get("CANONICAL_RECORD")).getBytes(StandardCharsets.UTF_8))
                .path("event_id").asText()).isEqualTo(id);
    }

    private static void assertNothingDelivered(String id) {
        assertThat(bridge.jdbc().queryForObject("SELECT COUNT(*) FROM delivery WHERE event_id = ?", Integer.class, id))
                .isZero();
        assertThat(Folders.files(outbox()).stream().map(p -> p.getFileName().toString()))
                .noneMatch(n -> n.contains(id));
    }

    private static byte[] resource(String path) throws IOException {
        try (var in = DispatchToFileTargetTest.class.getResourceAsStream(path)) {
            return in.readAllBytes();
        }
    }
}
