package com.jodoerp.bridge.webhook;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.canonical.JodoJson;
import com.jodoerp.bridge.flow.Flow;
import com.jodoerp.bridge.system.CalendarRange;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Checks the Jodo envelope ({@code event_id}, {@code event}, {@code timestamp}, {@code version},
 * {@code payload}) and refuses with a 400 that names the field. Of the payload only the rule every stored body keeps
 * ({@link JodoJson}: UTF-8, strict JSON, bounded numbers) is judged here: what Jodo puts inside it varies by event
 * and is the mapper's business.
 */
@Component("envelopeValidator")
public class EnvelopeValidator {

    /** Jodo's ids are UUIDs; the pattern also keeps an id safe to use as a file name downstream. */
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final Pattern EVENT_NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    private static final int MAX_EVENT_NAME = 100;
    /** Jodo sends "1.0"; the canonical record and the example ERP tables keep it (16 characters). */
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._-]{1,16}");
    /** A later time cannot be written as an ISO-8601 year of four digits (CalendarRange, the bridge's one rule). */
    private static final long MAX_TIMESTAMP = CalendarRange.LAST_EPOCH_SECOND;

    public void validate(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        JsonNode envelope = parse(body);
        exchange.setProperty(Flow.EVENT_ID, eventId(envelope));
        exchange.setProperty(Flow.EVENT, eventName(envelope));
        exchange.setProperty(Flow.TIMESTAMP, timestamp(envelope));
        if (!envelope.path("version").isTextual()) {
            throw invalid("invalid_envelope", "'version' must be a string");
        }
        if (!VERSION.matcher(envelope.path("version").asText()).matches()) {
            throw invalid("invalid_envelope", "'version' must be 1 to 16 letters, digits, '.', '_' or '-', such as"
                    + " \"1.0\"");
        }
        if (!envelope.path("payload").isObject()) {
            throw invalid("invalid_envelope", "'payload' must be a JSON object");
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw invalid("invalid_json", "body is empty; expected a JSON object");
        }
        JsonNode envelope;
        try {
            envelope = JodoJson.parse(body);
        } catch (JodoJson.BodyException e) {
            throw invalid(e.code(), e.getMessage());
        }
        if (!envelope.isObject()) {
            throw invalid("invalid_envelope", "body must be a JSON object with event_id, event, timestamp,"
                    + " version and payload");
        }
        return envelope;
    }

    private static String eventId(JsonNode envelope) {
        JsonNode id = envelope.path("event_id");
        if (!id.isTextual() || id.asText().isEmpty()) {
            throw invalid("invalid_envelope", "'event_id' must be a non-empty string");
        }
        if (!EVENT_ID.matcher(id.asText()).matches()) {
            throw invalid("invalid_envelope", "'event_id' must be at most 128 letters, digits, '.', '_', ':' or '-'");
        }
        return id.asText();
    }

    private static String eventName(JsonNode envelope) {
        JsonNode event = envelope.path("event");
        if (!event.isTextual()) {
            throw invalid("invalid_envelope", "'event' must be a string such as \"flex.instalment.debited\"");
        }
        String name = event.asText();
        if (name.length() > MAX_EVENT_NAME || !EVENT_NAME.matcher(name).matches()) {
            throw invalid("invalid_envelope", "'event' must be a dotted lower-case name such as"
                    + " \"flex.instalment.debited\"");
        }
        return name;
    }

    private static long timestamp(JsonNode envelope) {
        JsonNode timestamp = envelope.path("timestamp");
        if (!timestamp.isIntegralNumber()) {
            throw invalid("invalid_envelope", "'timestamp' must be an integer (Unix seconds)");
        }
        if (!timestamp.canConvertToLong() || timestamp.asLong() < 0 || timestamp.asLong() > MAX_TIMESTAMP) {
            throw invalid("invalid_envelope", "'timestamp' must be Unix seconds between 0 and " + MAX_TIMESTAMP);
        }
        return timestamp.asLong();
    }

    private static WebhookRejectedException invalid(String code, String message) {
        return new WebhookRejectedException(400, code, message);
    }
}
