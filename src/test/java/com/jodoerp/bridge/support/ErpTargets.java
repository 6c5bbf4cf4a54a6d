package com.jodoerp.bridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

/** Settings and set-up shared by the tests that deliver to one ERP target named {@code erp}. */
public final class ErpTargets {

    private ErpTargets() {
    }

    /**
     * Settings for a bridge that delivers every family to one target {@code erp} only
     * (the default outbox is off). The map is mutable, for a test's own additions.
     */
    public static Map<String, String> soleTarget(String transport, Map<String, String> options) {
        Map<String, String> settings = new HashMap<>();
        settings.put("bridge.targets.outbox.enabled", "false");
        settings.put("bridge.targets.erp.transport", transport);
        settings.put("bridge.targets.erp.families", "*");
        options.forEach((key, value) -> settings.put("bridge.targets.erp.options." + key, value));
        return settings;
    }

    /** Creates the example ERP schema of {@code dialect} (routes/examples/jdbc/&lt;dialect&gt;/schema.sql). */
    public static void createSchema(JdbcTemplate erp, String dialect) {
        run(erp, Path.of("routes/examples/jdbc", dialect, "schema.sql"));
    }

    /** Runs a SQL file: its statements, split at ';', without its comment lines. */
    public static void run(JdbcTemplate erp, Path file) {
        String sql;
        try {
            sql = Files.readString(file).lines().filter(line -> !line.trim().startsWith("--"))
                    .reduce("", (a, b) -> a + "\n" + b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String statement : sql.split(";")) {
            if (!statement.isBlank()) {
                erp.execute(statement);
            }
        }
    }
}
