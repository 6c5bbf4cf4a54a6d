package com.jodoerp.bridge.canonical;

import static com.jodoerp.bridge.canonical.JodoValues.absent;
import static com.jodoerp.bridge.canonical.JodoValues.date;
import static com.jodoerp.bridge.canonical.JodoValues.id;
import static com.jodoerp.bridge.canonical.JodoValues.money;
import static com.jodoerp.bridge.canonical.JodoValues.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A Flex instalment plan: its id and status, the payment schedule and the mandate behind it. */
final class SubscriptionBlock {

    private SubscriptionBlock() {
    }

    static JsonNode of(JsonNode payload, boolean subject) {
        JsonNode subscription = payload.path("subscription");
        JsonNode schedule = payload.path("payment_schedule");
        JsonNode mandate = payload.path("mandate");
        if (!subject && absent(subscription) && absent(schedule) && absent(mandate)) {
            return NullNode.instance;
        }
        ObjectNode block = JodoValues.nodes().objectNode();
        block.set("id", id(subscription.get("id"), "payload.subscription.id"));
        block.set("status", text(subscription.get("status"), "payload.subscription.status"));
        block.set("precedence", Lifecycle.subscription(block.get("status")));
        block.set("schedule", schedule(schedule));
        block.set("mandate", mandate(mandate));
        return block;
    }

    static JsonNode schedule(JsonNode schedule) {
        if (absent(schedule)) {
            return NullNode.instance;
        }
        if (!schedule.isArray()) {
            throw new MappingException("payload.payment_schedule", "expected a list of instalments");
        }
        ArrayNode list = JodoValues.nodes().arrayNode();
        for (int i = 0; i < schedule.size(); i++) {
            JsonNode instalment = schedule.get(i);
            String at = "payload.payment_schedule[" + i + "]";
            if (!instalment.isObject()) {
                throw new MappingException(at, "expected an instalment object, got " + JodoValues.shown(instalment));
            }
            ObjectNode item = list.addObject();
            item.set("due_date", date(instalment.get("due_date"), at + ".due_date"));
            item.set("amount", money(instalment.get("amount"), at + ".amount"));
            item.set("components", PaymentBlock.components(instalment.get("details"), at + ".details"));
        }
        return list;
    }

    private static JsonNode mandate(JsonNode mandate) {
        if (absent(mandate)) {
            return NullNode.instance;
        }
        ObjectNode block = JodoValues.nodes().objectNode();
        block.set("id", id(mandate.get("id"), "payload.mandate.id"));
        block.set("status", text(mandate.get("status"), "payload.mandate.status"));
        block.set("reason", text(mandate.get("npci_category_code"), "payload.mandate.npci_category_code"));
        block.set("end_date", date(mandate.get("end_date"), "payload.mandate.end_date"));
        return block;
    }
}
