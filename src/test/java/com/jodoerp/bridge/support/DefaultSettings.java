package com.jodoerp.bridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * A settings record bound as the bridge binds it, from the defaults in its application.yaml (the one place they
 * are written) with a test's changes on top, without starting the bridge.
 */
public final class DefaultSettings {

    private DefaultSettings() {
    }

    public static <T> T bind(String prefix, Class<T> type, Map<String, Object> changes) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new MapPropertySource("test", changes));
        try {
            List<PropertySource<?>> defaults = new ArrayList<>(new YamlPropertySourceLoader()
                    .load("defaults", new ClassPathResource("application.yaml")));
            defaults.forEach(sources::addLast);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Binder binder = new Binder(ConfigurationPropertySources.from(sources),
                new PropertySourcesPlaceholdersResolver(sources), ApplicationConversionService.getSharedInstance());
        return binder.bindOrCreate(prefix, Bindable.of(type));
    }
}
