package com.jodoerp.bridge.inbox;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.canonical.JodoJson;
import com.jodoerp.bridge.flow.Flow;
import com.jodoerp.bridge.store.StoredBodies;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * A webhook answered "duplicate" that says something else than the event stored under its id. Jodo retries send
 * the event again as it was, so another payload under a known {@code event_id} is a mistake upstream (or a changed
 * sample sent again in a test): the bridge keeps the event it stored first, as deduplication promises, and tells the
 * operator, naming the first field that differs but never its value (payloads carry parents' contact details).
 * The same event written differently (spacing, the order of fields, {@code 5000} as {@code 5000.00}) is no change.
 */
@Component("changedDuplicates")
public class ChangedDuplicates {

    private static final Logger log = LoggerFactory.getLogger(ChangedDuplicates.class);

    private final StoredBodies bodies;

    public ChangedDuplicates(StoredBodies bodies) {
        this.bodies = bodies;
    }

    /** Intake step for a duplicate: compares its body (the message's) with the stored event's. */
    public void compare(Exchange exchange) {
        String eventId = exchange.getProperty(Flow.EVENT_ID, String.class);
        byte[] received = exchange.getMessage().getBody(byte[].class);
        byte[] stored;
        try {
            stored = bodies.of(eventId, null);
        } catch (DataAccessException unread) {
            // Retention removed the event (its id stays a while longer), or the store did not answer this read: the
            // duplicate is answered all the same, as the comparison is only a diagnosis.
            return;
        }
        if (Arrays.equals(received, stored)) {
            return;
        }
        String field = firstDifference("", JodoJson.parse(stored), JodoJson.parse(received));
        if (field != null) {
            log.warn("Event {} came again with a different {}: the bridge keeps the event it stored first and"
                    + " answered this one as a duplicate; a changed event needs an event_id of its own", eventId,
                    field.isEmpty() ? "body" : "'" + field + "'");
        }
    }

    /**
     * Where two events first differ, as a field path ({@code payload.payment.amount}, {@code ...details[1]}; "" for
     * the whole), fields in name order; null when they say the same. Numbers are compared by value.
     */
    static String firstDifference(String path, JsonNode stored, JsonNode received) {
        if (stored.isNumber() && received.isNumber()) {
            return stored.decimalValue().compareTo(received.decimalValue()) == 0 ? null : path;
        }
        if (stored.isObject() && received.isObject()) {
            Set<String> names = new TreeSet<>();
            stored.fieldNames().forEachRemaining(names::add);
            received.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String field = path.isEmpty() ? name : path + "." + name;
                if (!stored.has(name) || !received.has(name)) {
                    return field;
                }
                String differs = firstDifference(field, stored.get(name), received.get(name));
                if (differs != null) {
                    return differs;
                }
            }
            return null;
        }
        if (stored.isArray() && received.isArray()) {
            if (stored.size() != received.size()) {
                return path;
            }
            for (int i = 0; i < stored.size(); i++) {
                String differs = firstDifference(path + "[" + i + "]", stored.get(i), received.get(i));
                if (differs != null) {
                    return differs;
                }
            }
            return null;
        }
        return stored.equals(received) ? null : path;
    }
}
