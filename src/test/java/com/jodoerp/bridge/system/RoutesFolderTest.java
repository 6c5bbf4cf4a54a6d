package com.jodoerp.bridge.system;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ShippedRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mistakes in the routes folder stop start-up with a message an integrator can act on. */
class RoutesFolderTest {

    @TempDir
    Path work;

    @Test
    void aRouteFileThatDoesNotParseIsNamed() throws Exception {
        Path routes = shippedRoutesAnd("my-erp.camel.yaml", "- route:\n    id: oops\n    from: [this is: not valid\n");

        assertThatThrownBy(() -> BridgeInstance.start(work.resolve("data"), Map.of(
                "bridge.routes-dir", routes.toString())).close())
                .hasStackTraceContaining("my-erp.camel.yaml");
    }

    @Test
    void aRouteWhoseStepCannotBeBuiltNamesItsFile() throws Exception {
        // Each step parses but cannot be built: Camel's own message names the route and the step, not the file.
        for (String step : new String[] {"to: \"{{bridge.no-such-setting}}\"", "to: no-such-component:erp",
                "bean:\n            ref: noSuchBean", "setBody:\n            simple: \"${body.unclosed\""}) {
            Path routes = shippedRoutesAnd("school-fees.camel.yaml", """
                    - route:
                        id: school-fees
                        from:
                          uri: timer:school-fees?repeatCount=1
                          steps:
                            - %s
                    """.formatted(step));

            assertThatThrownBy(() -> BridgeInstance.start(work.resolve("data"), Map.of(
                    "bridge.routes-dir", routes.toString())).close())
                    .as(step)
                    .hasStackTraceContaining("Failed to create route: school-fees (source: file:"
                            + routes.resolve("school-fees.camel.yaml") + ") at: >>> ");
        }
    }

    /**
     * A shipped route copied to a new file to adapt it: Camel named the id, not the files (either may be read first).
     * A route given a target's route id: the target's route, built from its template after the folder is read,
     * replaced it without a word.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "my-routing.camel.yaml | route-jodo-event  | route-jodo-event.camel.yaml",
        "my-outbox.camel.yaml  | deliver-to-outbox | deliver-to-<target> and reconcile-<target> are the routes"})
    void twoRoutesWithOneIdStopStartUpNamingWhereEachCameFrom(String file, String id, String other) throws Exception {
        Path routes = shippedRoutesAnd(file, """
                - route:
                    id: %s
                    from:
                      uri: direct:%s
                      steps:
                        - log: adapted
                """.formatted(id, file.replace(".camel.yaml", "")));

        assertThatThrownBy(() -> BridgeInstance.start(work.resolve("data"), Map.of(
                "bridge.routes-dir", routes.toString())).close())
                .hasStackTraceContaining("route id '" + id + "' is already the id of a route in file:")
                .hasStackTraceContaining(routes.resolve(file).toString())
                .hasStackTraceContaining(other);
    }

    /** Camel kept whichever of the two it read last, in the folder's order: the adapted copy counted by chance. */
    @Test
    void aRouteTemplateCopiedWithItsIdStopsStartUpNamingBothFiles() throws Exception {
        Path routes = shippedRoutesAnd("my-file-target.camel.yaml",
                Files.readString(Path.of("routes", "file-target.camel.yaml")).replace("json", "csv"));

        assertThatThrownBy(() -> BridgeInstance.start(work.resolve("data"), Map.of(
                "bridge.routes-dir", routes.toString())).close())
                .hasStackTraceContaining("route template id 'file-target' is already the id of a route template in"
                        + " file:")
                .hasStackTraceContaining(routes.resolve("my-file-target.camel.yaml").toString())
                .hasStackTraceContaining(routes.resolve("file-target.camel.yaml").toString());
    }

    /**
     * A templatedRoute is the way to make another instance of a shipped template: Camel builds its route without the
     * file, so the refusal named neither file of a duplicate id, and no file for a step that cannot be built.
     */
    @Test
    void aTemplatedRouteWithARouteIdInUseNamesBothFiles() throws Exception {
        Path routes = shippedRoutesAnd("my-queue.camel.yaml",
                templatedQueue("dispatch-stored-events", "dispatchQueue"));

        assertThatThrownBy(() -> BridgeInstance.start(work.resolve("data"), Map.of(
                "bridge.routes-dir", routes.toString())).close())
                .hasStackTraceContaining("route id 'dispatch-stored-events' is already the id of a route in file:")
                .hasStackTraceContaining(routes.resolve("my-queue.camel.yaml").toString())
                .hasStackTraceContaining(routes.resolve("dispatch-stored-events.camel.yaml").toString());
    }

    @Test
    void aTemplatedRouteWhoseStepCannotBeBuiltNamesItsFile() throws Exception {
        Path routes = shippedRoutesAnd("my-queue.camel.yaml", templatedQueue("my-queue", "noSuchQueueBean"));

        assertThatThrownBy(() -> BridgeInstance.start(work.resolve("data"), Map.of(
                "bridge.routes-dir", routes.toString())).close())
                .hasStackTraceContaining("Failed to create route: my-queue (source: file:"
                        + routes.resolve("my-queue.camel.yaml") + ") at: >>> ");
    }

    /** Camel took a parameter its template does not declare without a word: a misspelt option kept its default. */
    @Test
    void aTemplatedRouteWithAParameterItsTemplateDoesNotDeclareNamesItsFile() throws Exception {
        Path routes = shippedRoutesAnd("my-drop.camel.yaml", """
                - templatedRoute:
                    routeTemplateRef: file-target
                    routeId: my-drop
                    parameters:
                      - {name: target, value: my-drop}
                      - {name: directory, value: "%s"}
                      - {name: layuot, value: "{date}/{event_id}"}
                """.formatted(work.resolve("drop")));

        assertThatThrownBy(() -> BridgeInstance.start(work.resolve("data"), Map.of(
                "bridge.routes-dir", routes.toString())).close())
                .hasStackTraceContaining("Failed to create route: my-drop (source: file:"
                        + routes.resolve("my-drop.camel.yaml") + ")")
                .hasStackTraceContaining("parameter 'layuot' is not one route template file-target declares; did you"
                        + " mean layout?");
    }

    /**
     * Refusals of a templatedRoute that named the template and not the file, or no more than a null Camel failed on
     * (no routeTemplateRef, a parameter without a name): each made by replacing a line of a good one.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "routeTemplateRef: drain-work-queue | routeTemplateRef: drain-work-queu | no route template in the routes"
                + " folder has the id 'drain-work-queu'; did you mean drain-work-queue?",
        "{name: poll-interval, value: \"1000\"} | {name: work, value: \"direct:my-work\"} | the following mandatory"
                + " parameters must be provided: poll-interval",
        "routeTemplateRef: drain-work-queue | # no template named | routeTemplateRef is missing: it names the template"
                + " (they are: ",
        "{name: poll-interval, value: \"1000\"} | {value: \"1000\"} | a parameter has no name (each is {name: ...,"
                + " value: ...}; drain-work-queue declares: queue, work, poll-interval, workers, lane)"})
    void aTemplatedRouteThatCannotBeMadeNamesItsFile(String line, String instead, String refusal) throws Exception {
        Path routes = shippedRoutesAnd("my-queue.camel.yaml",
                templatedQueue("my-queue", "dispatchQueue").replace(line, instead));

        assertThatThrownBy(() -> BridgeInstance.start(work.resolve("data"), Map.of(
                "bridge.routes-dir", routes.toString())).close())
                .hasStackTraceContaining("Failed to create route: my-queue (source: file:"
                        + routes.resolve("my-queue.camel.yaml") + ")")
                .hasStackTraceContaining(refusal);
    }

    /** Camel failed on a null deep inside its own code, naming neither the route nor its file. */
    @Test
    void aRouteWithoutFromNamesItsFile() throws Exception {
        Path routes = shippedRoutesAnd("school-fees.camel.yaml", "- route:\n    id: school-fees\n");

        assertThatThrownBy(() -> BridgeInstance.start(work.resolve("data"), Map.of(
                "bridge.routes-dir", routes.toString())).close())
                .hasStackTraceContaining("Failed to create route: school-fees (source: file:"
                        + routes.resolve("school-fees.camel.yaml") + ")")
                .hasStackTraceContaining("the route has no from");
    }

    /** Another instance of the shipped work-queue template, as an integrator would add one. */
    private static String templatedQueue(String routeId, String queue) {
        return """
                - templatedRoute:
                    routeTemplateRef: drain-work-queue
                    routeId: %s
                    parameters:
                      - {name: queue, value: %s}
                      - {name: work, value: "direct:my-work"}
                      - {name: poll-interval, value: "1000"}
                      - {name: workers, value: "#dispatchWorkers"}
                """.formatted(routeId, queue);
    }

    @Test
    void aMissingRoutesFolderIsNamed() {
        assertThatThrownBy(() -> BridgeInstance.start(work.resolve("data"), Map.of(
                "bridge.routes-dir", work.resolve("nowhere").toString())).close())
                .hasStackTraceContaining("bridge.routes-dir")
                .hasStackTraceContaining("nowhere");
    }

    private Path shippedRoutesAnd(String name, String content) throws IOException {
        return ShippedRoutes.with(Files.createTempDirectory(work, "routes"), name, content);
    }
}
