package com.jodoerp.bridge.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A school's routes folder as an integrator makes one: a copy of the shipped routes, with a file of its own. */
public final class ShippedRoutes {

    private ShippedRoutes() {
    }

    /** Copies the shipped routes into {@code folder} (made if missing), then writes {@code name} there. */
    public static Path with(Path folder, String name, String content) throws IOException {
        Files.createDirectories(folder);
        try (var shipped = Files.list(Path.of("routes"))) {
            for (Path file : shipped.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                Files.copy(file, folder.resolve(file.getFileName()));
            }
        }
        Files.writeString(folder.resolve(name), content);
        return folder;
    }
}
