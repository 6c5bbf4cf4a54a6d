package com.jodoerp.bridge.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.jodoerp.bridge.canonical.EventCatalog;
import com.jodoerp.bridge.system.NearestName;
import com.jodoerp.bridge.system.TargetNames;
import org.springframework.stereotype.Component;

/** The enabled targets, checked at start-up, and which of them an event goes to. */
@Component
public class TargetCatalog {

    private static final String ALL = "*";

    private final Map<String, TargetsProperties.Target> targets;

    public TargetCatalog(TargetsProperties properties) {
        properties.targets().forEach(TargetCatalog::check);
        this.targets = properties.targets();
    }

    /** The names of the enabled targets that receive this event, in name order. */
    public List<String> targetsFor(String family, String event) {
        List<String> names = new ArrayList<>();
        targets.forEach((name, target) -> {
            if (target.enabled() && (target.families().contains(ALL) || target.families().contains(family)
                    || target.events().contains(event))) {
                names.add(name);
            }
        });
        return names;
    }

    public Map<String, TargetsProperties.Target> enabled() {
        Map<String, TargetsProperties.Target> enabled = new TreeMap<>();
        targets.forEach((name, target) -> {
            if (target.enabled()) {
                enabled.put(name, target);
            }
        });
        return enabled;
    }

    private static void check(String name, TargetsProperties.Target target) {
        String at = "bridge.targets." + name;
        String problem = TargetNames.problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(at + ": " + problem);
        }
        if (target.transport().isEmpty()) {
            throw new IllegalArgumentException(at + ".transport is missing (file, jdbc, rest, sftp, erpnext, tally, or"
                    + " another route template <transport>-target in routes/)");
        }
        if (target.threads() != null && (target.threads() < 1 || target.threads() > DeliveryProperties.MAX_THREADS)) {
            throw new IllegalArgumentException(at + ".threads must be between 1 and " + DeliveryProperties.MAX_THREADS
                    + ", got " + target.threads());
        }
        for (int i = 0; i < target.families().size(); i++) {
            String family = target.families().get(i);
            if (!ALL.equals(family) && !EventCatalog.families().contains(family)) {
                throw new IllegalArgumentException(at + ".families[" + i + "]: unknown family '" + family
                        + "' (known: " + String.join(", ", EventCatalog.families()) + ", or \"*\" for all)");
            }
        }
        for (int i = 0; i < target.events().size(); i++) {
            // An event the table does not know is parked as unrouted, never delivered: naming one receives nothing.
            String event = target.events().get(i);
            if (EventCatalog.family(event) == null) {
                throw new IllegalArgumentException(at + ".events[" + i + "]: unknown event '" + event + "'"
                        + NearestName.suggestion(event, EventCatalog.events()) + " (named as Jodo sends it, such as"
                        + " flex.instalment.debited)");
            }
        }
        if (target.enabled() && target.families().isEmpty() && target.events().isEmpty()) {
            throw new IllegalArgumentException(at + ": names no families or events to receive");
        }
    }
}
