package com.jodoerp.bridge.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/** The settings the bridge has: every one its defaults file (src/main/resources/application.yaml) writes. */
final class ShippedDefaults {

    private static final String DEFAULTS = "application.yaml";

    private ShippedDefaults() {
    }

    /** Each setting's name as the file writes it: {@code bridge.webhook.max-body-size}, {@code ...allowed-ips[0]}. */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        try {
            for (PropertySource<?> defaults : new YamlPropertySourceLoader().load(DEFAULTS,
                    new ClassPathResource(DEFAULTS))) {
                names.addAll(List.of(((EnumerablePropertySource<?>) defaults).getPropertyNames()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the bridge's defaults (" + DEFAULTS + ") cannot be read", e);
        }
        return names;
    }
}
