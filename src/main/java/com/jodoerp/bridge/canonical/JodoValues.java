package com.jodoerp.bridge.canonical;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jodoerp.bridge.observability.EventLogContext;
import com.jodoerp.bridge.system.CalendarRange;
import com.jodoerp.bridge.system.StorableText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one value from Jodo's payload by the contract's rules, whatever JSON type Jodo used for it.
 * Absent and null give JSON null; a value that cannot be read is a {@link MappingException} naming the field.
 */
final class JodoValues {

    private static final Logger log = LoggerFactory.getLogger(JodoValues.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final int MONEY_SCALE = 2;
    private static final int MAX_ID = 128;
    /** A year of four digits; compiled once, where String.matches compiled it for every year mapped (JFR). */
    private static final Pattern YEAR = Pattern.compile("[1-9][0-9]{3}");
    /** The notation BigDecimal reads, in ASCII digits only. */
    private static final Pattern PLAIN_NUMBER =
            Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private JodoValues() {
    }

    static JsonNodeFactory nodes() {
        return NODES;
    }

    static boolean absent(JsonNode value) {
        return value == null || value.isMissingNode() || value.isNull();
    }

    /** Amounts come as numbers ({@code 5000}, {@code 1000.0}) or strings ({@code "3000.00"}); both give scale 2. */
    static JsonNode money(JsonNode value, String field) {
        BigDecimal amount = decimal(value, field);
        return amount == null ? NullNode.instance : NODES.numberNode(amount);
    }

    static BigDecimal decimal(JsonNode value, String field) {
        if (absent(value)) {
            return null;
        }
        BigDecimal amount;
        if (value.isNumber()) {
            amount = value.decimalValue();
        } else if (value.isTextual()) {
            if (value.asText().length() > 64) {
                // BigDecimal's parser is not linear in the length; no amount is this long.
                throw new MappingException(field, "amount text is longer than 64 characters");
            }
            String text = value.asText().trim();
            if (!PLAIN_NUMBER.matcher(text).matches()) {
                // BigDecimal also reads digits of other scripts ("٥٠٠٠", "５０００"): no amount Jodo writes, and
                // nothing an accountant could check against the payment it names.
                throw new MappingException(field, shown(value) + " is not a number");
            }
            try {
                amount = new BigDecimal(text);
            } catch (NumberFormatException e) {
                // Written right, but beyond what BigDecimal holds: an exponent past an int ("1e9999999999").
                throw new MappingException(field, shown(value) + " is not a number");
            }
        } else {
            throw new MappingException(field, "expected an amount, got " + value.getNodeType().name().toLowerCase());
        }
        String problem = JodoJson.numberProblem(amount);
        if (problem != null) {
            throw new MappingException(field, "amount " + problem);
        }
        if (amount.signum() < 0) {
            // Booked as sent, it would turn a payment or a fee component around in the school's books.
            throw new MappingException(field, "an amount below zero; Jodo takes money back with cancelled and"
                    + " bounced events, never with a negative amount");
        }
        try {
            return amount.setScale(MONEY_SCALE, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new MappingException(field, shown(value) + " has more than two decimal places");
        }
    }

    /**
     * Identifiers are strings: {@code 7268} becomes {@code "7268"}. At most {@value #MAX_ID} characters, as
     * {@code event_id}: the bridge's own tables key Jodo's ids at that length (the payment ledger reconciliation
     * reads, the operators' student filter), and so do the example ERP tables.
     */
    static JsonNode id(JsonNode value, String field) {
        if (absent(value)) {
            return NullNode.instance;
        }
        String id;
        if (value.isTextual()) {
            id = storable(value.asText(), field);
        } else if (value.isIntegralNumber()) {
            id = value.bigIntegerValue().toString();
        } else {
            throw new MappingException(field, "expected an identifier, got " + shown(value));
        }
        if (id.length() > MAX_ID) {
            throw new MappingException(field, "an identifier of " + id.length() + " characters; Jodo's ids are kept"
                    + " up to " + MAX_ID);
        }
        return NODES.textNode(id);
    }

    static JsonNode text(JsonNode value, String field) {
        if (absent(value)) {
            return NullNode.instance;
        }
        if (value.isTextual()) {
            return NODES.textNode(storable(value.asText(), field));
        }
        if (value.isNumber() || value.isBoolean()) {
            return NODES.textNode(value.asText());
        }
        throw new MappingException(field, "expected text, got " + value.getNodeType().name().toLowerCase());
    }

    /** Times are ISO-8601 in UTC with {@code Z}, whatever offset Jodo wrote. */
    static JsonNode instant(JsonNode value, String field) {
        if (absent(value)) {
            return NullNode.instance;
        }
        if (!value.isTextual()) {
            throw new MappingException(field, "expected an ISO-8601 time, got " + shown(value));
        }
        Instant time;
        try {
            time = OffsetDateTime.parse(value.asText().trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new MappingException(field, shown(value) + " is not an ISO-8601 time");
        }
        if (!CalendarRange.holds(time)) {
            throw new MappingException(field, shown(value) + " is not an ISO-8601 time with " + CalendarRange.YEARS);
        }
        return NODES.textNode(utc(time));
    }

    static String utc(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    static JsonNode date(JsonNode value, String field) {
        if (absent(value)) {
            return NullNode.instance;
        }
        try {
            if (value.isTextual()) {
                LocalDate day = LocalDate.parse(value.asText().trim());
                if (CalendarRange.holds(day)) {
                    return NODES.textNode(day.toString());
                }
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new MappingException(field, shown(value) + " is not a date (YYYY-MM-DD)");
    }

    /**
     * A school year's first or last year, as a number ({@code 2024}) or its digits as text ({@code "2024"}). Four
     * digits: ERP rows file payments under it, and a year such as {@code 99999} or {@code -1} would file them where
     * no accountant looks.
     */
    static JsonNode year(JsonNode value, String field) {
        if (absent(value)) {
            return NullNode.instance;
        }
        String digits = value.isIntegralNumber() ? value.bigIntegerValue().toString()
                : value.isTextual() ? value.asText().trim() : "";
        if (YEAR.matcher(digits).matches()) {
            return NODES.numberNode(Integer.parseInt(digits));
        }
        throw new MappingException(field, shown(value) + " is not a year (four digits, such as 2024)");
    }

    static JsonNode bool(JsonNode value, String field) {
        if (absent(value)) {
            return NullNode.instance;
        }
        if (value.isBoolean()) {
            return value;
        }
        if (value.isTextual() && ("true".equals(value.asText()) || "false".equals(value.asText()))) {
            return NODES.booleanNode(Boolean.parseBoolean(value.asText()));
        }
        throw new MappingException(field, shown(value) + " is not true or false");
    }

    /**
     * Jodo's {@code [{key, value}]} lists become one object {@code {key: value}}. A key the list gives twice keeps its
     * later value, in the list's order; when the two differ the log says so, by position.
     */
    static JsonNode keyValues(JsonNode value, String field) {
        if (absent(value)) {
            return NullNode.instance;
        }
        ObjectNode object = NODES.objectNode();
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                object.set(storable(entry.getKey(), field), text(entry.getValue(), field + "." + entry.getKey()));
            }
            return object;
        }
        if (!value.isArray()) {
            throw new MappingException(field, "expected a list of {key, value}");
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode pair = value.get(i);
            if (!pair.path("key").isTextual()) {
                throw new MappingException(field + "[" + i + "]", "expected {key, value} with a text key");
            }
            String key = storable(pair.get("key").asText(), field + "[" + i + "].key");
            JsonNode text = text(pair.get("value"), field + "[" + i + "].value");
            JsonNode earlier = object.replace(key, text);
            if (earlier != null && !earlier.equals(text)) {
                // Positions only: a note's key and value are the school's data, kept out of the log.
                log.warn("Event {}: {}[{}] repeats a key given earlier in the list, with another value; the later"
                        + " value is kept", EventLogContext.eventId(), field, i);
            }
        }
        return object;
    }

    /** The text itself, or a mapping error when it holds a character no target stores ({@link StorableText}). */
    private static String storable(String text, String field) {
        int at = StorableText.firstUnstorable(text);
        if (at >= 0) {
            throw new MappingException(field, "text of " + text.length() + " characters holds a character no ERP"
                    + " stores (a control character such as NUL, or half of a surrogate pair) at position " + (at + 1));
        }
        return text;
    }

    /**
     * What a value is, never what it says: payloads carry parents' phone numbers and e-mail addresses, and a reason
     * is read by operators, stored and logged. "text of 15 characters", "a number", "an object".
     */
    static String shown(JsonNode value) {
        if (value.isTextual()) {
            return "text of " + value.asText().length() + " characters";
        }
        if (value.isNumber()) {
            return "a number";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        return value.isArray() ? "a list" : value.isObject() ? "an object" : value.getNodeType().name().toLowerCase();
    }
}
