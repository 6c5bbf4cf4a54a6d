package com.jodoerp.bridge.delivery;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.jodoerp.bridge.system.TemplatedRouteFiles;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * One delivery route per enabled target (its lane), so that a target slow at every call slows only its own records.
 * A batch of deliveries is recorded, and the next one taken, when its slowest attempt ends: with one route for all
 * targets, an ERP answering each call in 4 s held a file target's records, taken in the same batches, as long.
 *
 * <p>Each lane is routes/deliver-due-records.camel.yaml's route made again from the same template and parameters, as
 * {@code deliver-due-records-<target>}, with the target as its lane and threads of its own (the target's
 * {@code threads}, or {@code bridge.delivery.threads}): lanes sharing threads would queue a fast target's attempts
 * behind a slow one's. The route in the file keeps the lane "*": records of targets this instance has no lane for
 * (DeliveryQueue).
 */
@Component
public class DeliveryLanes {

    /** The route in routes/ that the lanes repeat. */
    private static final String ROUTE = "deliver-due-records";
    /** The drain-work-queue parameters that make a lane. */
    private static final String LANE = "lane";
    private static final String WORKERS = "workers";

    private final TargetCatalog catalog;
    private final CamelContext camelContext;
    private final QueueWorkers workers;
    private final TemplatedRouteFiles files;

    public DeliveryLanes(TargetCatalog catalog, CamelContext camelContext, QueueWorkers workers,
                         TemplatedRouteFiles files) {
        this.catalog = catalog;
        this.camelContext = camelContext;
        this.workers = workers;
        this.files = files;
    }

    /** The lane of {@code target}. */
    private static String routeId(String target) {
        return ROUTE + "-" + target;
    }

    /** Runs once Camel has read the routes folder; a failure fails start-up. */
    @EventListener(ApplicationStartedEvent.class)
    public void buildLanes() {
        RouteDefinition shared = ((ModelCamelContext) camelContext).getRouteDefinition(ROUTE);
        Optional<String> template = files.templateOf(ROUTE);
        if (shared == null || template.isEmpty()) {
            throw new IllegalStateException("routes/" + ROUTE + ".camel.yaml: no route '" + ROUTE + "' made from a"
                    + " route template (templatedRoute); each target's delivery route is made from it");
        }
        // The parameters as the file gives them (Camel's own copy holds each under a second, camel-case name too).
        Map<String, Object> parameters = new HashMap<>(shared.getRouteTemplateContext().getParameters());
        catalog.enabled().forEach((target, settings) -> {
            parameters.put(LANE, target);
            parameters.put(WORKERS, workers.forLane(target, settings.threads()));
            TemplatedRouteBuilder.builder(camelContext, template.get())
                    .routeId(routeId(target))
                    .parameters(Map.copyOf(parameters))
                    .add();
        });
    }
}
