package com.jodoerp.bridge.canonical;

import static com.jodoerp.bridge.canonical.JodoValues.absent;
import static com.jodoerp.bridge.canonical.JodoValues.date;
import static com.jodoerp.bridge.canonical.JodoValues.id;
import static com.jodoerp.bridge.canonical.JodoValues.instant;
import static com.jodoerp.bridge.canonical.JodoValues.money;
import static com.jodoerp.bridge.canonical.JodoValues.text;

import java.math.BigDecimal;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code payment} block, from a student-linked {@code payload.payment} or from a Pay order
 * ({@code payload.order_id} with {@code payload.order}).
 */
final class PaymentBlock {

    private PaymentBlock() {
    }

    static JsonNode of(EventCatalog.EventType type, String action, JsonNode payload) {
        boolean order = EventCatalog.isOrder(type);
        JsonNode source = order ? payload.path("order") : payload.path("payment");
        String at = order ? "payload.order" : "payload.payment";
        ObjectNode block = JodoValues.nodes().objectNode();
        block.set("id", order ? id(payload.get("order_id"), "payload.order_id") : id(source.get("id"), at + ".id"));
        block.set("product", JodoValues.nodes().textNode(type.product()));
        block.set("status", JodoValues.nodes().textNode(action.toUpperCase(Locale.ROOT)));
        block.set("precedence", Lifecycle.payment(block.get("status")));
        JsonNode components = components(source.get("details"), at + ".details");
        JsonNode amount = money(source.get("amount"), at + ".amount");
        block.set("amount", amount.isNull() ? sum(components) : amount);
        block.set("currency", JodoValues.nodes().textNode("INR"));
        block.set("mode", text(source.get("mode"), at + ".mode"));
        block.set("paid_at", instant(source.get("paid_at"), at + ".paid_at"));
        block.set("due_date", date(source.get("due_date"), at + ".due_date"));
        block.set("initial_due_date", date(source.get("initial_due_date"), at + ".initial_due_date"));
        block.set("reference_id", text(source.get("reference_id"), at + ".reference_id"));
        block.set("transaction_id", text(source.get("transaction_id"), at + ".transaction_id"));
        block.set("settlement_utr", text(source.get("settlement_utr"), at + ".settlement_utr"));
        // A payment's notes are free text; an order's are {key, value} pairs an ERP set to find its order again.
        JsonNode notes = source.get("notes");
        boolean freeText = notes != null && notes.isTextual();
        block.set("remark", freeText ? text(notes, at + ".notes") : NullNode.instance);
        block.set("notes", freeText ? NullNode.instance : JodoValues.keyValues(notes, at + ".notes"));
        block.set("components", components);
        return block;
    }

    /** Fee components: {@code fee_component} on payments, {@code component_type} on orders. */
    static JsonNode components(JsonNode details, String at) {
        if (absent(details)) {
            return NullNode.instance;
        }
        if (!details.isArray()) {
            throw new MappingException(at, "expected a list of fee components");
        }
        ArrayNode list = JodoValues.nodes().arrayNode();
        for (int i = 0; i < details.size(); i++) {
            JsonNode detail = details.get(i);
            String here = at + "[" + i + "]";
            if (!detail.isObject()) {
                // A null or a bare name in the list would become a fee line of no component and no amount.
                throw new MappingException(here, "expected a fee component object, got " + JodoValues.shown(detail));
            }
            JsonNode component = detail.has("fee_component") ? detail.get("fee_component") : detail.get("component_type");
            ObjectNode item = list.addObject();
            item.set("fee_component", text(component, here + (detail.has("fee_component") ? ".fee_component"
                    : ".component_type")));
            item.set("amount", money(detail.get("amount"), here + ".amount"));
            item.set("settlement_utr", text(detail.get("settlement_utr"), here + ".settlement_utr"));
            item.set("settled_at", instant(detail.get("settled_at"), here + ".settled_at"));
        }
        return list;
    }

    /** Where an event carries no amount, the amount is the sum of its components. */
    private static JsonNode sum(JsonNode components) {
        if (components.isNull() || components.isEmpty()) {
            return NullNode.instance;
        }
        BigDecimal total = BigDecimal.ZERO.setScale(2);
        for (JsonNode component : components) {
            if (component.get("amount").isNull()) {
                return NullNode.instance;
            }
            total = total.add(component.get("amount").decimalValue());
        }
        return JodoValues.nodes().numberNode(total);
    }
}
