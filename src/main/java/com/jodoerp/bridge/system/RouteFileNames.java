package com.jodoerp.bridge.system;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.Route;
import org.apache.camel.impl.DefaultModelReifierFactory;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * A route that cannot be built stops start-up naming the file it was read from. Camel names the file when a
 * route's {@code from} is wrong, but not when one of its steps is (an endpoint, a {@code {{placeholder}}}, a bean,
 * an expression): the integrator who edited {@code routes/} got a route id and a step to search the folder for.
 */
@Component
class RouteFileNames implements CamelContextConfiguration {

    // Camel's own wording for a failed step (FailedToCreateRouteException); kept whole in the new message.
    private static final Pattern STEP = Pattern.compile(" at: >>> (.*) <<< in route: ", Pattern.DOTALL);

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        camel.getCamelContextExtension().getContextPlugin(Model.class).setModelReifierFactory(new Reifier());
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
