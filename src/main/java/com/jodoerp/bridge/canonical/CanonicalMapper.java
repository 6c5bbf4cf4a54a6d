package com.jodoerp.bridge.canonical;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns a stored Jodo event into the canonical record v1 ({@code shared/design/canonical-model.md}):
 * the one shape every ERP route maps from, with Jodo's quirks settled here once.
 */
public class CanonicalMapper {

    public static final String SCHEMA = "jodo-erp-bridge/v1";

    // Amounts are written as exact decimals (read as such by JodoJson), never through binary floating point.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .nodeFactory(JodoValues.nodes())
            .build();

    /**
     * @param rawEvent   the webhook body exactly as received
     * @param family     the family the router chose for it
     * @param receivedAt when the bridge accepted it
     */
    public ObjectNode map(byte[] rawEvent, String family, Instant receivedAt) {
        return map(read(rawEvent), family, receivedAt);
    }

    /** The same, from the event already read with {@link #read}. */
    public ObjectNode map(JsonNode envelope, String family, Instant receivedAt) {
        String event = envelope.path("event").asText();
        EventCatalog.EventType type = EventCatalog.lookup(event).orElseThrow(() -> new UnknownEventException(
                "unknown event '" + event + "' in family " + family + ": no mapping for it"));
        JsonNode payload = envelope.path("payload");
        String action = event.substring(event.lastIndexOf('.') + 1);

        ObjectNode record = JodoValues.nodes().objectNode();
        record.put("schema", SCHEMA);
        record.put("event_id", envelope.path("event_id").asText());
        record.put("event", event);
        // Jodo's envelope version, as sent: a consumer can tell which payload template a record came from.
        record.put("version", envelope.path("version").asText());
        record.put("family", family);
        record.put("kind", type.kind());
        record.put("action", action);
        record.put("occurred_at", JodoValues.utc(Instant.ofEpochSecond(envelope.path("timestamp").asLong())));
        record.put("received_at", JodoValues.utc(receivedAt.truncatedTo(ChronoUnit.SECONDS)));
        record.set("jodo_student_id", JodoValues.id(payload.get("jodo_student_id"), "payload.jodo_student_id"));
        record.set("student", PartyBlocks.student(payload.get("student")));
        record.set("payer", EventCatalog.isOrder(type) ? PartyBlocks.payer(payload.get("order")) : NullNode.instance);
        record.set("payment", "payment".equals(type.kind()) ? PaymentBlock.of(type, action, payload) : NullNode.instance);
        record.set("subscription", SubscriptionBlock.of(payload, "subscription".equals(type.kind())));
        record.set("loan", LoanBlock.of(payload, "loan".equals(type.kind())));
        return record;
    }

    /**
     * Every block of the record with every field present and null: the full set of fields a route may name,
     * whatever kind of record it gets.
     */
    public static ObjectNode skeleton() {
        ObjectNode none = JodoValues.nodes().objectNode();
        // Empty nested objects bring out the nested blocks (grade, mandate) with their fields.
        ObjectNode nested = JodoValues.nodes().objectNode();
        nested.putObject("grade");
        nested.putObject("mandate");
        // The record's own fields (event_id, occurred_at, jodo_student_id, ...) as map writes them, each null.
        ObjectNode record = new CanonicalMapper().map(JodoValues.nodes().objectNode()
                .put("event", "masterdata.student.registered"), "masterdata", Instant.EPOCH);
        List<String> fields = new ArrayList<>();
        record.fieldNames().forEachRemaining(fields::add);
        fields.forEach(record::putNull);
        record.set("student", PartyBlocks.student(nested));
        record.set("payer", PartyBlocks.payer(none));
        ObjectNode payment = (ObjectNode) PaymentBlock.of(new EventCatalog.EventType(null, "payment", null), "none", none);
        payment.putNull("product");
        payment.putNull("status");
        payment.putNull("precedence");
        payment.putNull("currency");
        record.set("payment", payment);
        record.set("subscription", SubscriptionBlock.of(nested, true));
        record.set("loan", LoanBlock.of(none, true));
        return record;
    }

    /** One line of each kind a record lists (a fee component, an instalment, a disbursement), its fields null. */
    public static List<JsonNode> lineSkeletons() {
        ArrayNode one = JodoValues.nodes().arrayNode();
        one.addObject();
        return List.of(PaymentBlock.components(one, "line").get(0), SubscriptionBlock.schedule(one).get(0),
                LoanBlock.disbursement(JodoValues.nodes().objectNode(), "line"));
    }

    public static String write(JsonNode record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** A stored event's body, read by the intake's own rule (an older bridge may have stored one that breaks it). */
    public static JsonNode read(byte[] json) {
        try {
            return JodoJson.parse(json);
        } catch (JodoJson.BodyException e) {
            throw new MappingException("body", e.getMessage());
        }
    }
}
