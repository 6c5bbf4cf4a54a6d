package com.jodoerp.bridge.canonical;

import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * How far along its lifecycle a payment, subscription or loan is: the {@code precedence} of its status. Records of
 * one payment (subscription, loan) supersede each other by (precedence, occurred_at, event_id): a record of lower
 * precedence never replaces one of higher precedence, whatever their times, so terminal states are final and a late
 * "debited" never undoes a "settled" or a "cancelled"; within one precedence the newer record wins, and on the same
 * second the larger event_id. That is one total order, so every delivery order ends in the same state.
 *
 * <p>A status Jodo adds later, unknown here, counts as just started (1): it can never undo a known later state.
 */
final class Lifecycle {

    /** ADDED, UPDATED, DEBITED: money recorded; SETTLED: it reached the school; the rest: final, no money. */
    private static final Map<String, Integer> PAYMENT = Map.of(
            "ADDED", 1, "UPDATED", 1, "DEBITED", 1,
            "SETTLED", 2,
            "CANCELLED", 3, "REVERSED", 3, "BOUNCED", 3, "FAILED", 3, "EXPIRED", 3);
    /** set up, then running (active, or locked while its mandate is away), then ended for good. */
    private static final Map<String, Integer> SUBSCRIPTION = Map.of(
            "setup", 1,
            "active", 2, "locked", 2,
            "cancelled", 3, "closed", 3);
    /** A Cred application's steps in order; a refusal, a cancellation or an expiry ends it. */
    private static final Map<String, Integer> LOAN = Map.ofEntries(
            Map.entry("application_started", 1), Map.entry("application_filled", 2), Map.entry("final_approved", 3),
            Map.entry("agreement_signed", 4), Map.entry("disbursed", 5),
            Map.entry("rejected", 6), Map.entry("canceled", 6), Map.entry("cancelled", 6),
            Map.entry("application_expired", 6));

    private Lifecycle() {
    }

    static JsonNode payment(JsonNode status) {
        return precedence(PAYMENT, status);
    }

    static JsonNode subscription(JsonNode status) {
        return precedence(SUBSCRIPTION, status);
    }

    static JsonNode loan(JsonNode status) {
        return precedence(LOAN, status);
    }

    private static JsonNode precedence(Map<String, Integer> ranks, JsonNode status) {
        if (status == null || !status.isTextual()) {
            return NullNode.instance;
        }
        String key = status.asText().trim();
        Integer rank = ranks.get(ranks == PAYMENT ? key.toUpperCase(Locale.ROOT) : key.toLowerCase(Locale.ROOT));
        return JodoValues.nodes().numberNode(rank == null ? 1 : rank);
    }
}
