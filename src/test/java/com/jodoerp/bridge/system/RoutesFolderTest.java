package com.jodoerp.bridge.system;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes in the routes folder stop start-up with a message an integrator can act on. */
class RoutesFolderTest {

    @TempDir
    Path work;

    @Test
    void aRouteFileThatDoesNotParseIsNamed() throws Exception {
        Path routes = Files.createDirectories(work.resolve("routes"));
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Files.writeString(routes.resolve("my-erp.camel.yaml"), "- route:\n    id: oops\n    from: [this is: not valid\n");

        assertThatThrownBy(() -> BridgeInstance.start(work.resolve("data"), Map.of(
                "bridge.routes-dir", routes.toString())).close())
                .hasStackTraceContaining("my-erp.camel.yaml");
    }

    @Test
    void aMissingRoutesFolderIsNamed() {
        assertThatThrownBy(() -> BridgeInstance.start(work.resolve("data"), Map.of(
                "bridge.routes-dir", work.resolve("nowhere").toString())).close())
                .hasStackTraceContaining("bridge.routes-dir")
                .hasStackTraceContaining("nowhere");
    }
}
