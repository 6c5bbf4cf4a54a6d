package com.jodoerp.bridge.delivery;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The ERP targets a school delivers to ({@code bridge.targets.<name>.*} in config/application.yaml).
 *
 * @param targets by name
 */
@ConfigurationProperties("bridge")
public record TargetsProperties(Map<String, Target> targets) {

    public TargetsProperties {
        targets = targets == null ? Map.of() : new TreeMap<>(targets);
    }

    /**
     * One target.
     *
     * @param enabled   false to keep a target's settings but send it nothing
     * @param transport which route template delivers to it: {@code <transport>-target} in routes/
     * @param families  the families it receives ({@code masterdata}, {@code direct}, {@code flex}, {@code pay},
     *                  {@code cred}, or {@code "*"} for all)
     * @param events    single event names it receives besides its families
     * @param options   the route template's parameters (folder, URL, credentials...)
     * @param threads   its deliveries attempted at once; null for {@code bridge.delivery.threads}
     */
    public record Target(Boolean enabled, String transport, List<String> families, List<String> events,
                         Map<String, String> options, Integer threads) {

        public Target {
            enabled = enabled == null || enabled;
            transport = transport == null ? "" : transport.trim();
            families = families == null ? List.of() : List.copyOf(families);
            events = events == null ? List.of() : List.copyOf(events);
            options = options == null ? Map.of() : Map.copyOf(options);
        }

        /** What it receives, for an operator: {@code every family}, or {@code families [flex] and events [...]}. */
        public String receives() {
            String named = families.contains("*") ? "every family" : families.isEmpty() ? "" : "families " + families;
            String single = events.isEmpty() ? "" : "events " + events;
            return named.isEmpty() || single.isEmpty() ? named + single : named + " and " + single;
        }
    }
}
