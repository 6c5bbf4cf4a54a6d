package com.jodoerp.bridge.canonical;

import static com.jodoerp.bridge.canonical.JodoValues.absent;
import static com.jodoerp.bridge.canonical.JodoValues.date;
import static com.jodoerp.bridge.canonical.JodoValues.id;
import static com.jodoerp.bridge.canonical.JodoValues.instant;
import static com.jodoerp.bridge.canonical.JodoValues.money;
import static com.jodoerp.bridge.canonical.JodoValues.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A Cred education loan: the application and its disbursements. */
final class LoanBlock {

    private LoanBlock() {
    }

    static JsonNode of(JsonNode payload, boolean subject) {
        JsonNode application = payload.path("application");
        if (!subject && absent(application)) {
            return NullNode.instance;
        }
        ObjectNode block = JodoValues.nodes().objectNode();
        block.set("application_id", id(application.get("id"), "payload.application.id"));
        block.set("status", text(application.get("status"), "payload.application.status"));
        block.set("precedence", Lifecycle.loan(block.get("status")));
        block.set("amount", money(application.get("amount"), "payload.application.amount"));
        block.set("agreement_signed_at", instant(application.get("agreement_signed_at"),
                "payload.application.agreement_signed_at"));
        block.set("disbursements", disbursements(payload));
        return block;
    }

    /** Jodo sends one {@code disbursement} object on some events and a {@code disbursements} list on others. */
    private static JsonNode disbursements(JsonNode payload) {
        JsonNode many = payload.path("disbursements");
        JsonNode one = payload.path("disbursement");
        if (absent(many) && absent(one)) {
            return NullNode.instance;
        }
        ArrayNode list = JodoValues.nodes().arrayNode();
        if (!absent(many)) {
            if (!many.isArray()) {
                throw new MappingException("payload.disbursements", "expected a list of disbursements");
            }
            for (int i = 0; i < many.size(); i++) {
                list.add(disbursement(many.get(i), "payload.disbursements[" + i + "]"));
            }
        } else {
            list.add(disbursement(one, "payload.disbursement"));
        }
        return list;
    }

    static JsonNode disbursement(JsonNode disbursement, String at) {
        if (!disbursement.isObject()) {
            throw new MappingException(at, "expected a disbursement object");
        }
        ObjectNode item = JodoValues.nodes().objectNode();
        item.set("id", id(disbursement.get("id"), at + ".id"));
        item.set("date", date(disbursement.get("date"), at + ".date"));
        item.set("amount", money(disbursement.get("amount"), at + ".amount"));
        item.set("disbursed_amount", money(disbursement.get("disbursed_amount"), at + ".disbursed_amount"));
        item.set("is_disbursed", JodoValues.bool(disbursement.get("is_disbursed"), at + ".is_disbursed"));
        return item;
    }
}
