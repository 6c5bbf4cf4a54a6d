package com.jodoerp.bridge.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jodoerp.bridge.canonical.EventCatalog;

/** Jodo's sample payloads, one per event, copied from shared/jodo/samples into src/test/resources/samples. */
public final class Samples {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Samples() {
    }

    /** The event names of all samples, e.g. {@code flex.instalment.debited}. */
    public static List<String> events() {
        try (Stream<Path> files = Files.list(folder())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample's bytes exactly as stored. */
    public static byte[] bytes(String event) {
        try (InputStream in = Samples.class.getResourceAsStream("/samples/" + event + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no sample for " + event);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Jodo's own documentation example of {@code event}, from shared/jodo/doc-examples, as stored. */
    public static byte[] docExample(String event) {
        try (InputStream in = Samples.class.getResourceAsStream("/doc-examples/" + event + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no documentation example for " + event);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String eventId(byte[] body) {
        try {
            return JSON.readTree(body).path("event_id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A valid envelope with a fresh event id around {@code payloadJson}. */
    public static byte[] envelope(String eventId, String event, String payloadJson) {
        return ("{\"event_id\":\"" + eventId + "\",\"event\":\"" + event + "\",\"timestamp\":1720593900,"
                + "\"version\":\"1.0\",\"payload\":" + payloadJson + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** The sample of {@code event} with its event id replaced, so it can be sent as a new event. */
    public static byte[] withEventId(String event, String eventId) {
        byte[] body = bytes(event);
        String text = new String(body, StandardCharsets.UTF_8);
        return text.replace(eventId(body), eventId).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A Flex instalment as event {@code eventId}, {@code size} bytes long by a note in its payload: as large as a
     * webhook may be (bridge.webhook.max-body-size), where Jodo's are a few KB.
     */
    public static byte[] large(String eventId, int size) {
        String sample = new String(withEventId("flex.instalment.debited", eventId), StandardCharsets.UTF_8);
        String opening = "\"payload\": {";
        int at = sample.indexOf(opening) + opening.length();
        String note = "\"note\": \"" + "x".repeat(Math.max(0, size - sample.length() - 12)) + "\", ";
        return (sample.substring(0, at) + note + sample.substring(at)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A manual payment as event {@code eventId} about payment {@code paymentId}, {@code size} bytes long by its
     * free-text notes: unlike {@link #large}'s unknown field, the notes are carried into the canonical record, so the
     * record is as large as the webhook.
     */
    public static byte[] largeNotes(String eventId, String paymentId, int size) {
        String sample = ofPayment("direct.payment.added", eventId, paymentId);
        String notes = "\"notes\": \"Term 1 fee received by NEFT\"";
        String longer = "\"notes\": \"" + "n".repeat(Math.max(0, size - sample.length() + notes.length() - 11)) + "\"";
        return sample.replace(notes, longer).getBytes(StandardCharsets.UTF_8);
    }

    /** The sample of {@code event} as event {@code eventId} about payment {@code paymentId} (its payment.id). */
    public static String ofPayment(String event, String eventId, String paymentId) {
        return new String(withEventId(event, eventId), StandardCharsets.UTF_8)
                .replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": \"" + paymentId + "\"");
    }

    /**
     * {@link #ofPayment}, its money paid at 10:30 on {@code day} in the school's default time zone (Asia/Kolkata), so
     * that it counts for that day in the reconciliation.
     */
    public static String ofPaymentOn(String event, String eventId, String paymentId, LocalDate day) {
        String paidAt = day.atTime(10, 30).atZone(ZoneId.of("Asia/Kolkata")).toInstant().toString();
        return ofPayment(event, eventId, paymentId)
                .replaceAll("\"paid_at\": \"[^\"]+\"", "\"paid_at\": \"" + paidAt + "\"");
    }

    /** The family of {@code event}, from the one table the router reads too (EventCatalog). */
    public static String familyOf(String event) {
        String family = EventCatalog.family(event);
        if (family == null) {
            throw new IllegalArgumentException("no family for " + event);
        }
        return family;
    }

    public static String freshId() {
        return UUID.randomUUID().toString();
    }

    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path folder() {
        try {
            return Path.of(Samples.class.getResource("/samples").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
