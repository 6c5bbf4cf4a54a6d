package com.jodoerp.bridge.system;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.Route;
import org.apache.camel.impl.DefaultModelReifierFactory;
import org.apache.camel.model.Model;
import org.apache.camel.model.ModelLifecycleStrategySupport;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A route that cannot be built stops start-up naming the file it was read from. Camel names the file when a
 * route's {@code from} is wrong, but not when one of its steps is (an endpoint, a {@code {{placeholder}}}, a bean,
 * an expression): the integrator who edited {@code routes/} got a route id and a step to search the folder for.
 * Nor does it name either file when two routes share an id (a route copied to a new file to adapt it, say), and a
 * route whose id is that of a target's delivery route was silently replaced by it; nor when two route templates do,
 * of which it kept the one read last. A {@code templatedRoute}'s file comes from TemplatedRouteFiles.
 */
@Component
class RouteFileNames implements CamelContextConfiguration {

    // Camel's own wording for a failed step (FailedToCreateRouteException); kept whole in the new message.
    private static final Pattern STEP = Pattern.compile(" at: >>> (.*) <<< in route: ", Pattern.DOTALL);

    private static final String BUILT = "the bridge";

    /** Where each route id came from while the bridge starts; it adds no route after that. */
    private final Map<String, String> sources = new ConcurrentHashMap<>();
    /** Where each route template id came from while the bridge starts. */
    private final Map<String, String> templateSources = new ConcurrentHashMap<>();
    private volatile boolean starting = true;

    /** Watches the routes as they are read, which happens before {@link #beforeApplicationStart}. */
    RouteFileNames(CamelContext camel, TemplatedRouteFiles templated) {
        camel.getCamelContextExtension().getContextPlugin(Model.class).addModelLifecycleStrategy(
                new ModelLifecycleStrategySupport() {
                    @Override
                    public void onAddRouteDefinition(RouteDefinition route) {
                        if (starting) {
                            if (route.getResource() == null) {
                                route.setResource(templated.building());
                            }
                            requireFrom(route);
                            requireUnique(route);
                        }
                    }

                    @Override
                    public void onAddRouteTemplateDefinition(RouteTemplateDefinition template) {
                        if (starting) {
                            requireUnique(template);
                        }
                    }
                });
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        camel.getCamelContextExtension().getContextPlugin(Model.class).setModelReifierFactory(new Reifier());
    }

    /** Target routes are built once the application has started (TargetRoutes); after that, ids are Camel's. */
    @EventListener(ApplicationReadyEvent.class)
    void started() {
        starting = false;
        sources.clear();
        templateSources.clear();
    }

    /**
     * A template copied to a new file to adapt it, its id kept: Camel keeps whichever file it reads last, in the
     * folder's order, so the change took effect or not by chance.
     */
    private void requireUnique(RouteTemplateDefinition template) {
        String id = template.getId();
        String source = template.getResource() == null ? BUILT : template.getResource().getLocation();
        String first = id == null ? null : templateSources.putIfAbsent(id, source);
        if (first != null) {
            throw new FailedToCreateRouteException(id, source, "routeTemplate " + id, "route template id '" + id
                    + "' is already the id of a route template in " + first + "; each template needs an id of its"
                    + " own (a transport's template is <transport>-target: give an adapted copy a new transport name)");
        }
    }

    /** Camel went on to fail on a null deep inside its own code, naming neither the route nor its file. */
    private static void requireFrom(RouteDefinition route) {
        if (route.getInput() == null && route.getResource() != null) {
            throw new FailedToCreateRouteException(String.valueOf(route.getRouteId()), route.getResource()
                    .getLocation(), "route " + route.getRouteId(), "the route has no from: each route starts"
                    + " with one, such as from: {uri: \"direct:my-route\", steps: [...]}");
        }
    }

    private void requireUnique(RouteDefinition route) {
        String id = route.getRouteId();
        if (id == null || id.isEmpty() || route.isInlined()) {
            return;
        }
        // A route built from a template in code (TargetRoutes) has no file of its own.
        String source = route.getResource() == null ? BUILT : route.getResource().getLocation();
        // By id alone: a route template's route gets a node prefix of its own, and would still replace the route.
        String first = sources.putIfAbsent(id, source);
        if (first != null) {
            throw new FailedToCreateRouteException(id, source, route.toString(), "route id '" + id
                    + "' is already the id of a route in " + first + "; each route needs an id of its own"
                    + (source.equals(BUILT) && (id.startsWith("deliver-to-") || id.startsWith("reconcile-"))
                    ? " (deliver-to-<target> and reconcile-<target> are the routes the bridge builds for each target)"
                    : ""));
        }
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        // Nothing after start: the routes are built by then.
    }

    /** Camel's route builder, with the route's file added to a failure that does not name it. */
    private static final class Reifier extends DefaultModelReifierFactory {

        @Override
        public Route createRoute(CamelContext camel, Object definition) {
            try {
                return super.createRoute(camel, definition);
            } catch (FailedToCreateRouteException e) {
                Matcher step = STEP.matcher(String.valueOf(e.getMessage()));
                if (e.getLocation() != null || e.getCause() == null || !step.find()
                        || !(definition instanceof RouteDefinition route) || route.getResource() == null) {
                    throw e;
                }
                throw new FailedToCreateRouteException(e.getRouteId(), route.getResource().getLocation(),
                        route.toString(), step.group(1), e.getCause());
            }
        }
    }
}
