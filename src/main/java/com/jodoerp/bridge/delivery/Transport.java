package com.jodoerp.bridge.delivery;

import java.util.Map;

import org.apache.camel.CamelContext;

/**
 * The Java side of a transport whose route template needs more than YAML can say: checking a target's
 * options at start-up (errors name the setting) and preparing what its route uses (a pool, a client). The
 * endpoint itself and its options are written in the template, in routes/.
 */
public interface Transport {

    /** The transport name in {@code bridge.targets.<name>.transport}; its template is {@code <name>-target}. */
    String name();

    /**
     * Checks the options and prepares the target; returns the template's parameters: the options, with the values
     * the template needs in the form its endpoint takes (a duration in milliseconds, a path without a leading
     * slash, ...).
     */
    Map<String, String> prepare(String target, Map<String, String> options, CamelContext camelContext);

    /**
     * Whether an attempt waits for its answer in its batch: true for a transport whose attempts end at once or hand
     * their record over (a local folder, a database's writers, which bound the batch's wait themselves); false, the
     * default, for one that waits for a remote answer, which a target that stopped answering would make last its whole
     * timeout (CallsApart).
     */
    default boolean callsInLine() {
        return false;
    }

    /** The option, trimmed, or a start-up error naming it when it is missing. */
    static String required(String target, Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("bridge.targets." + target + ".options." + key + " is missing");
        }
        return value.trim();
    }
}
