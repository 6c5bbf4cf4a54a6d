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

import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteBuilderLifecycleStrategy;
import org.apache.camel.model.Model;
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
import org.springframework.stereotype.Component;

/**
 * The routes folder's files as Camel reads them, with what Camel (4.17) leaves unsaid. A {@code templatedRoute}'s
 * route is built without the file it came from, so a refusal of it (a template no file defines, a parameter without
 * a default left out, a step that cannot be built, an id in use) named no file; and a parameter its template does not
 * declare was taken without a word, so a misspelt optional one ({@code layuot}) left the default in force. A file
 * whose top level is not a list (a route written without its leading dash) was skipped as holding nothing.
 */
@Component
public class TemplatedRouteFiles implements CamelContextConfiguration, RouteBuilderLifecycleStrategy {

    /** The templated routes read from files, to be built by {@link #beforeApplicationStart} (main thread only). */
    private final List<Templated> read = new ArrayList<>();
    /** The file of the templated route being built, for the route it makes (RouteFileNames). */
    private Resource building;
    /** Once the folder's are built, a builder added later keeps its templated routes for Camel to build. */
    private volatile boolean built;
    /** The template each of the folder's templated routes was made from, by route id: Camel keeps no note of it. */
    private final Map<String, String> templates = new ConcurrentHashMap<>();

    /** A templatedRoute as read from a file. */
    private record Templated(Resource file, TemplatedRouteDefinition definition) {

        FailedToCreateRouteException refused(String why, Throwable cause) {
            String ref = definition.getRouteTemplateRef();
            String id = definition.getRouteId() == null ? String.valueOf(ref) : definition.getRouteId();
            FailedToCreateRouteException refusal = new FailedToCreateRouteException(id, file.getLocation(),
                    "templatedRoute of " + ref, why);
            // Not Camel's constructor with a cause: it shows the cause's message as the failed step's.
            if (cause != null) {
                refusal.initCause(cause);
            }
            return refusal;
        }
    }

    /** The file of the templated route whose route is being added, or null for any other route. */
    Resource building() {
        return building;
    }

    /**
     * Takes the templated routes of each file as it is read, to build them in {@link #beforeApplicationStart}, right
     * after Camel would have, naming the file.
     */
    @Override
    public void afterConfigure(RouteBuilder builder) {
        Resource file = builder.getResource();
        if (built || file == null) {
            return;
        }
        List<TemplatedRouteDefinition> templated = builder.getTemplatedRouteCollection().getTemplatedRoutes();
        if (templated.isEmpty() && builder.getRouteCollection().getRoutes().isEmpty()
                && builder.getRouteTemplateCollection().getRouteTemplates().isEmpty()
                && builder.getRestCollection().getRests().isEmpty()) {
            requireList(file);
        }
        for (TemplatedRouteDefinition definition : templated) {
            read.add(new Templated(file, definition));
        }
        builder.getTemplatedRouteCollection().setTemplatedRoutes(new ArrayList<>());
    }

    /** Read again with the YAML DSL's own parser, only for a file that gave nothing (one of beans alone is a list). */
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
    @Override
    public void beforeApplicationStart(CamelContext camel) {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        for (Templated templated : read) {
            requireDeclaredParameters(model, templated);
            building = templated.file();
            try {
                model.addRouteFromTemplatedRoute(templated.definition());
                if (templated.definition().getRouteId() != null) {
                    templates.put(templated.definition().getRouteId(), templated.definition().getRouteTemplateRef());
                }
            } catch (FailedToCreateRouteException named) {
                throw named;
            } catch (Exception e) {
                throw templated.refused(e.getMessage(), e);
            } finally {
                building = null;
            }
        }
        read.clear();
        built = true;
    }

    /** The id of the template that the routes folder's route {@code routeId} was made from, if it was. */
    public Optional<String> templateOf(String routeId) {
        return Optional.ofNullable(templates.get(routeId));
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        // Nothing after start: the routes are built by then.
    }

    private static void requireDeclaredParameters(Model model, Templated templated) {
        String ref = templated.definition().getRouteTemplateRef();
        RouteTemplateDefinition template = ref == null ? null : model.getRouteTemplateDefinition(ref);
        if (template == null) {
            List<String> templates = model.getRouteTemplateDefinitions().stream().map(RouteTemplateDefinition::getId)
                    .toList();
            throw templated.refused((ref == null ? "routeTemplateRef is missing: it names the template"
                    : "no route template in the routes folder has the id '" + ref + "'"
                    + NearestName.suggestion(ref, templates)) + " (they are: " + String.join(", ", templates) + ")",
                    null);
        }
        List<String> declared = new ArrayList<>();
        for (RouteTemplateParameterDefinition parameter : template.getTemplateParameters()) {
            declared.add(parameter.getName());
        }
        for (TemplatedRouteParameterDefinition parameter : templated.definition().getParameters()) {
            if (parameter.getName() == null) {
                throw templated.refused("a parameter has no name (each is {name: ..., value: ...}; " + ref
                        + " declares: " + String.join(", ", declared) + ")", null);
            }
            if (!declared.contains(parameter.getName())) {
                throw templated.refused("parameter '" + parameter.getName() + "' is not one route template " + ref
                        + " declares" + NearestName.suggestion(parameter.getName(), declared) + " (it declares: "
                        + String.join(", ", declared) + ")", null);
            }
        }
    }
}
