package com.jodoerp.bridge.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Resolves the two folders the bridge works from before anything else reads them.
 *
 * <p>H2 refuses paths that are implicitly relative and Camel resolves {@code file:routes} against the
 * working directory with a bare {@code NoSuchFileException}; turning both into absolute paths here, and
 * failing with the setting's name when a routes folder that was named is missing, gives the operator a
 * message they can act on. With no folder named and no {@code routes/} where the jar was started, the
 * routes shipped inside the jar run, so the jar starts from any folder; a routes folder replaces them as
 * a whole (a school's copy of a route never runs beside the shipped one).
 */
public class BridgeFolders implements EnvironmentPostProcessor, Ordered {

    static final String DATA_DIR = "bridge.data-dir";
    static final String ROUTES_DIR = "bridge.routes-dir";
    static final String SHIPPED_ROUTES = "classpath:bridge-defaults/routes/*.camel.yaml";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Path data = absolute(environment.getProperty(DATA_DIR, "./data"));
        String named = environment.getProperty(ROUTES_DIR, "").trim();
        if (data.toString().contains(";")) {
            // The embedded store's URL is jdbc:h2:file:<data>/bridge;<settings>: H2 reads what follows a ';' as them.
            throw new IllegalStateException(DATA_DIR + " (BRIDGE_DATA_DIR): the data folder " + data + " has a ';' in"
                    + " its path, which the embedded store's URL reads as the start of its settings: choose a folder"
                    + " without one");
        }
        try {
            Files.createDirectories(data);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(DATA_DIR + " (BRIDGE_DATA_DIR): cannot create the data folder " + data
                    + ": " + e.getMessage(), e);
        }
        environment.getPropertySources().addFirst(new MapPropertySource("bridgeFolders", Map.of(
                "bridge.data-path", data.toString(),
                "bridge.routes-location", routesLocation(named))));
    }

    private static String routesLocation(String named) {
        Path routes = absolute(named.isEmpty() ? "routes" : named);
        if (Files.isDirectory(routes)) {
            return "file:" + routes + "/*.camel.yaml";
        }
        if (named.isEmpty()) {
            return SHIPPED_ROUTES;
        }
        throw new IllegalStateException(ROUTES_DIR + " (BRIDGE_ROUTES_DIR): no routes folder at " + routes
                + "; point BRIDGE_ROUTES_DIR at the routes, or leave it unset for the routes shipped in the jar");
    }

    private static Path absolute(String folder) {
        return Path.of(folder).toAbsolutePath().normalize();
    }

    @Override
    public int getOrder() {
        // After the config files are read, so config/application.yaml can set both folders.
        return Ordered.LOWEST_PRECEDENCE;
    }
}
