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
 * failing with the setting's name when the routes folder is missing, gives the operator a message they
 * can act on.
 */
public class BridgeFolders implements EnvironmentPostProcessor, Ordered {

    static final String DATA_DIR = "bridge.data-dir";
    static final String ROUTES_DIR = "bridge.routes-dir";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Path data = absolute(environment.getProperty(DATA_DIR, "./data"));
        Path routes = absolute(environment.getProperty(ROUTES_DIR, "routes"));
        try {
            Files.createDirectories(data);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(DATA_DIR + " (BRIDGE_DATA_DIR): cannot create the data folder " + data
                    + ": " + e.getMessage(), e);
        }
        if (!Files.isDirectory(routes)) {
            throw new IllegalStateException(ROUTES_DIR + " (BRIDGE_ROUTES_DIR): no routes folder at " + routes
                    + "; start the bridge from the project folder or point BRIDGE_ROUTES_DIR at the routes");
        }
        environment.getPropertySources().addFirst(new MapPropertySource("bridgeFolders", Map.of(
                "bridge.data-path", data.toString(),
                "bridge.routes-path", routes.toString())));
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
