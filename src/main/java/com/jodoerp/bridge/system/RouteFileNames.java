package com.jodoerp.bridge.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteBuilderLifecycleStrategy;
import org.apache.camel.impl.DefaultModelReifierFactory;
import org.apache.camel.model.Model;
import org.apache.camel.model.ModelLifecycleStrategySupport;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.model.TemplatedRouteParameterDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeType;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A route that cannot be built stops start-up naming the file it was read from. Camel names the file when a
 * route's {@code from} is wrong, but not when one of its steps is (an endpoint, a {@code {{placeholder}}}, a bean,
 * an expression): the integrator who edited {@code routes/} got a route id and a step to search the folder for.
 * Nor does it name either file when two routes share an id (a route copied to a new file to adapt it, say), and a
 * route whose id is that of a target's delivery route was silently replaced by it. A {@code templatedRoute} in a
 * file is named too (Camel 4.17 builds its route without the file it came from), and one whose parameter its template
 * does not declare is refused.
 */
@Component
class RouteFileNames implements CamelContextConfiguration, RouteBuilderLifecycleStrategy {

    // Camel's own wording for a failed step (FailedToCreateRouteException); kept whole in the new message.
    private static final Pattern STEP = Pattern.compile(" at: >>> (.*) <<< in route: ", Pattern.DOTALL);

    private static final String BUILT = "the bridge";

    /** Where each route id came from while the bridge starts; it adds no route after that. */
    private final Map<String, String> sources = new ConcurrentHashMap<>();
    /** Where each route template id came from while the bridge starts. */
    private final Map<String, String> templateSources = new ConcurrentHashMap<>();
    /** The templated routes read from files, to be built by {@link #beforeApplicationStart} (main thread only). */
    private final List<Templated> templatedRoutes = new ArrayList<>();
    /** The file of the templated route being built, for the route it makes. */
    private Resource building;
    private volatile boolean starting = true;

    /** A templatedRoute as read from a file. */
    private record Templated(Resource file, TemplatedRouteDefinition definition) {

        FailedToCreateRouteException refused(String why, Throwable cause) {
            String ref = definition.getRouteTemplateRef();
            String id = definition.getRouteId() == null ? ref : definition.getRouteId();
            FailedToCreateRouteException refusal = new FailedToCreateRouteException(id, file.getLocation(),
                    "templatedRoute of " + ref, why);
            // Not Camel's constructor with a cause: it shows the cause's message as the failed step's.
            if (cause != null) {
                refusal.initCause(cause);
            }
            return refusal;
        }
    }

    /** Watches the routes as they are read, which happens before {@link #beforeApplicationStart}. */
    RouteFileNames(CamelContext camel) {
        camel.getCamelContextExtension().getContextPlugin(Model.class).addModelLifecycleStrategy(
                new ModelLifecycleStrategySupport() {
                    @Override
                    public void onAddRouteDefinition(RouteDefinition route) {
                        if (starting) {
                            if (route.getResource() == null) {
                                route.setResource(building);
                            }
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
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        buildTemplatedRoutes(model);
        model.setModelReifierFactory(new Reifier());
    }

    /**
     * Takes the templated routes of each file as it is read, to build them in {@link #beforeApplicationStart}, right
     * after Camel would have: Camel builds their routes without the file, so its refusals of one (a template it does
     * not have, a parameter without a default left out) named no file.
     */
    @Override
    public void afterConfigure(RouteBuilder builder) {
        Resource file = builder.getResource();
        if (!starting || file == null) {
            return;
        }
        List<TemplatedRouteDefinition> templated = builder.getTemplatedRouteCollection().getTemplatedRoutes();
        if (templated.isEmpty() && builder.getRouteCollection().getRoutes().isEmpty()
                && builder.getRouteTemplateCollection().getRouteTemplates().isEmpty()
                && builder.getRestCollection().getRests().isEmpty()) {
            requireList(file);
        }
        for (TemplatedRouteDefinition definition : templated) {
            templatedRoutes.add(new Templated(file, definition));
        }
        builder.getTemplatedRouteCollection().setTemplatedRoutes(new ArrayList<>());
    }

    /**
     * Camel reads a file whose top level is not a list (a route written without its leading dash) as holding
     * nothing, and goes on without it. Read again with the YAML DSL's own parser, only for a file that gave nothing.
     */
    private static void requireList(Resource file) {
        Optional<Node> root;
        try (InputStream text = file.getInputStream()) {
            root = new Compose(LoadSettings.builder().build()).composeInputStream(text);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file.getLocation(), e);
        }
        if (root.isPresent() && root.get().getNodeType() != NodeType.SEQUENCE) {
            throw new IllegalArgumentException("Nothing was read in " + file.getLocation() + ": its top level is a "
                    + root.get().getNodeType().name().toLowerCase(Locale.ROOT) + ", not a list; each route is an"
                    + " item of a list, starting with '- route:' (or '- routeTemplate:', '- templatedRoute:')");
        }
    }

    /** Every file is read by now: a template may be defined in a file read after the one that uses it. */
    private void buildTemplatedRoutes(Model model) {
        for (Templated read : templatedRoutes) {
            requireDeclaredParameters(model, read);
            building = read.file();
            try {
                model.addRouteFromTemplatedRoute(read.definition());
            } catch (FailedToCreateRouteException named) {
                throw named;
            } catch (Exception e) {
                throw read.refused(e.getMessage(), e);
            } finally {
                building = null;
            }
        }
        templatedRoutes.clear();
    }

    /** Camel takes a parameter its template does not declare without a word: a misspelt one kept its default. */
    private static void requireDeclaredParameters(Model model, Templated read) {
        String ref = read.definition().getRouteTemplateRef();
        RouteTemplateDefinition template = model.getRouteTemplateDefinition(ref);
        if (template == null) {
            List<String> templates = model.getRouteTemplateDefinitions().stream().map(RouteTemplateDefinition::getId)
                    .toList();
            throw read.refused("no route template in the routes folder has the id '" + ref + "'"
                    + NearestName.suggestion(ref, templates) + " (they are: " + String.join(", ", templates) + ")",
                    null);
        }
        List<String> declared = new ArrayList<>();
        for (RouteTemplateParameterDefinition parameter : template.getTemplateParameters()) {
            declared.add(parameter.getName());
        }
        for (TemplatedRouteParameterDefinition parameter : read.definition().getParameters()) {
            if (!declared.contains(parameter.getName())) {
                throw read.refused("parameter '" + parameter.getName() + "' is not one route template " + ref
                        + " declares" + NearestName.suggestion(parameter.getName(), declared) + " (it declares: "
                        + String.join(", ", declared) + ")", null);
            }
        }
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
