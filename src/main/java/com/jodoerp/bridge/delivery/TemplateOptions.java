package com.jodoerp.bridge.delivery;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.jodoerp.bridge.canonical.EventCatalog;
import com.jodoerp.bridge.system.NearestName;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;

/**
 * A target's options checked against what its route template declares (each template lists its options, their
 * defaults and their meaning as its parameters: the one place per transport). An option the template does not know
 * (a typo such as {@code read-timout}) stops start-up naming it, with the nearest known one. Option names match
 * whatever their case and dashes, so they can come from environment variables
 * ({@code BRIDGE_TARGETS_ERP_OPTIONS_READTIMEOUT} is {@code read-timeout}); {@code <option>.<family>} sets an option
 * for one family only.
 */
final class TemplateOptions {

    private TemplateOptions() {
    }

    /** The options under the template's own names; a start-up error for any it does not declare. */
    static Map<String, String> resolve(String target, Map<String, String> options, RouteTemplateDefinition template) {
        Map<String, String> declared = new TreeMap<>();
        for (RouteTemplateParameterDefinition parameter : template.getTemplateParameters()) {
            String name = parameter.getName();
            if (!name.equals("target") && !name.endsWith("-ms")) {
                declared.put(NearestName.normal(name), name);
            }
        }
        Map<String, String> resolved = new LinkedHashMap<>();
        options.forEach((key, value) -> {
            int dot = key.lastIndexOf('.');
            boolean perFamily = dot > 0 && EventCatalog.families().contains(key.substring(dot + 1));
            String base = perFamily ? key.substring(0, dot) : key;
            String known = declared.get(NearestName.normal(base));
            if (known == null) {
                throw new IllegalArgumentException("bridge.targets." + target + ".options." + key + ": the "
                        + template.getId() + " template has no such option"
                        + NearestName.suggestion(base, declared.values()) + " (it knows: "
                        + String.join(", ", declared.values()) + ")");
            }
            resolved.put(perFamily ? known + key.substring(dot) : known, value);
        });
        return resolved;
    }
}
