package com.jodoerp.bridge.delivery;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.spi.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Builds one delivery route per configured target from the route template of its transport
 * ({@code <transport>-target} in routes/), so adding a school's second ERP is configuration, not code.
 * A transport with no template, or a template parameter left out, stops start-up naming the setting.
 */
@Component
public class TargetRoutes {

    private static final Logger log = LoggerFactory.getLogger(TargetRoutes.class);

    private final TargetCatalog catalog;
    private final CamelContext camelContext;
    private final Map<String, Transport> transports = new HashMap<>();
    private final AtomicBoolean ready = new AtomicBoolean();
    private volatile Set<String> built = Set.of();
    private volatile Set<String> inLine = Set.of();

    public TargetRoutes(TargetCatalog catalog, CamelContext camelContext, List<Transport> transports) {
        this.catalog = catalog;
        this.camelContext = camelContext;
        transports.forEach(transport -> this.transports.put(transport.name(), transport));
    }

    /** The route that delivers to {@code target}. */
    public static String routeId(String target) {
        return "deliver-to-" + target;
    }

    /**
     * The route that reads back what the target's ERP holds for a day, for the reconciliation: built when the
     * transport has a {@code <transport>-reconciliation} template ({@code direct:reconcile-<target>}).
     */
    public static String reconciliationRouteId(String target) {
        return "reconcile-" + target;
    }

    /** Whether this instance delivers to {@code target}: the settings name it and it is enabled. */
    public boolean configured(String target) {
        return built.contains(target);
    }

    /** The targets this instance delivers to. */
    public Set<String> targets() {
        return built;
    }

    /** Whether attempts to {@code target} wait for their answer in their batch (Transport#callsInLine). */
    public boolean callsInLine(String target) {
        return inLine.contains(target);
    }

    /** True once every target's route exists; until then nothing is taken for delivery. */
    public boolean ready() {
        return ready.get();
    }

    /**
     * Runs once Camel has read the routes folder (the templates live there). A failure here fails start-up,
     * where Camel's own after-start hook would only log it.
     */
    @EventListener(ApplicationStartedEvent.class)
    public void buildTargetRoutes() {
        ModelCamelContext model = (ModelCamelContext) camelContext;
        Set<String> callingInLine = new HashSet<>();
        for (Map.Entry<String, TargetsProperties.Target> entry : catalog.enabled().entrySet()) {
            String name = entry.getKey();
            TargetsProperties.Target target = entry.getValue();
            String template = target.transport() + "-target";
            if (model.getRouteTemplateDefinition(template) == null) {
                throw new IllegalStateException("bridge.targets." + name + ".transport: no route template '" + template
                        + "' in the routes folder for transport '" + target.transport() + "'");
            }
            Map<String, String> options = TemplateOptions.resolve(name, target.options(),
                    model.getRouteTemplateDefinition(template));
            Transport transport = transports.get(target.transport());
            Map<String, String> parameters = transport == null ? options
                    : transport.prepare(name, options, camelContext);
            build(name, template, routeId(name), parameters);
            if (transport != null && transport.callsInLine()) {
                callingInLine.add(name);
            }
            // A transport that can read back what its ERP holds offers it as <transport>-reconciliation.
            String reading = target.transport() + "-reconciliation";
            if (model.getRouteTemplateDefinition(reading) != null) {
                build(name, reading, reconciliationRouteId(name), parameters);
            }
            log.info("Target {} receives {}, delivered by {}", name, target.receives(), template);
        }
        inLine = Set.copyOf(callingInLine);
        built = Set.copyOf(catalog.enabled().keySet());
        ready.set(true);
    }

    private void build(String name, String template, String routeId, Map<String, String> parameters) {
        try {
            TemplatedRouteBuilder.builder(camelContext, template)
                    .routeId(routeId)
                    .parameter("target", name)
                    .parameters(Map.copyOf(parameters))
                    .add();
        } catch (RuntimeException e) {
            // The options or the template itself may be at fault: name both, and the file the template is in.
            Resource file = ((ModelCamelContext) camelContext).getRouteTemplateDefinition(template).getResource();
            throw new IllegalStateException("bridge.targets." + name + ".options: route template '" + template + "'"
                    + (file == null ? "" : " (" + file.getLocation() + ")") + " cannot be built with them: "
                    + e.getMessage(), e);
        }
    }
}
