package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Where a record's file goes and what it holds, as the file and SFTP targets write it. */
class RecordFilesTest {

    // Payments read on the school's day in Kolkata.
    private static final Receipts RECEIPTS = new Receipts(ZoneId.of("Asia/Kolkata"), new NoPaymentsSeen());
    private static final Map<String, Object> RECORD = Map.of("event_id", "e-1", "event", "flex.instalment.debited",
            "family", "flex", "kind", "payment", "received_at", "2026-11-23T20:15:30Z");

    @Test
    void theLayoutNamesTheFileAndTheFormatItsContent() {
        assertThat(RecordFiles.of("t", Map.of(), RECEIPTS).path(RECORD)).isEqualTo("flex/e-1.json");
        assertThat(RecordFiles.of("t", Map.of("layout", "{date}/{kind}-{event_id}", "format", "csv"), RECEIPTS)
                .path(RECORD))
                .as("20:15 UTC is the next day in Kolkata").isEqualTo("2026-11-24/payment-e-1.csv");
        assertThat(new String(RecordFiles.of("t", Map.of(), RECEIPTS).content(RECORD), StandardCharsets.UTF_8))
                .startsWith("{").contains("\"event_id\":\"e-1\"").endsWith("}\n");
    }

    @Test
    void aBadLayoutOrFormatIsNamed() {
        assertThatThrownBy(() -> RecordFiles.of("t", Map.of("format", "xml"), RECEIPTS))
                .hasMessage("bridge.targets.t.options.format: expected json, csv or tally, got 'xml'");
        assertThatThrownBy(() -> RecordFiles.of("t", Map.of("layout", "{family}/{student}"), RECEIPTS))
                .hasMessageContaining("unknown placeholder {student}");
        for (String layout : new String[] {"{family}/fixed", "/abs/{event_id}", "../{event_id}"}) {
            assertThatThrownBy(() -> RecordFiles.of("t", Map.of("layout", layout), RECEIPTS))
                    .hasMessageContaining("must be a relative path containing {event_id}");
        }
    }
}
