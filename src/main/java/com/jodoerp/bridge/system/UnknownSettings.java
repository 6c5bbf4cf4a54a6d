package com.jodoerp.bridge.system;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * A {@code bridge.*} setting the bridge does not have stops start-up, naming it and the nearest one it has: Spring
 * ignores a key nothing binds, so {@code retention.deliverd: 30d} kept events 90 days and a target's
 * {@code famlies: [pay]} sent it every family, and nobody was told.
 *
 * <p>The settings the bridge has are those its defaults file (src/main/resources/application.yaml) writes, every one
 * of them, plus what a target may hold ({@code bridge.targets.<name>.transport}, ...; its options are checked against
 * its route template). Settings files, {@code -D} properties and {@code --} arguments are checked; environment
 * variables are not, as their names cannot be told from the rest of the environment. Outside {@code bridge.*}, a
 * group misspelt at the top of a settings file or the command line ({@code brigde}, {@code sever}) is refused too.
 */
public class UnknownSettings implements EnvironmentPostProcessor, Ordered {

    private static final String TARGETS = "bridge.targets";
    private static final Set<String> TARGET_FIELDS = Set.of("enabled", "transport", "families", "events", "options",
            "threads");
    // The benchmark's own switch (bench/), not a school's setting, so not among the documented defaults.
    private static final String BENCH = "bridge.bench.enabled";
    // Spring Boot's own top-level settings besides the groups the defaults file writes (bridge, spring, server, ...).
    private static final Set<String> SPRING_ROOTS = Set.of("info", "debug", "trace");
    // The name Spring gives what a YAML file holds when its top is a list or a text rather than settings.
    private static final String NOT_A_MAP = "document";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Map<String, String>> known = knownGroups();
        Set<String> roots = new HashSet<>(SPRING_ROOTS);
        known.keySet().forEach(group -> roots.add(group.split("\\.")[0]));
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> names
                    && !StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(source.getName())) {
                for (String name : names.getPropertyNames()) {
                    checkRoot(name, roots, source);
                    check(name, known, source);
                }
            }
        }
    }

    /**
     * The first part of a name written in a settings file or on the command line: a misspelt one ({@code brigde:},
     * {@code sever:}) made Spring ignore the whole group under it, and a file whose top is a list ({@code - a}) was
     * read as no settings at all. Names far from every group the bridge knows are left alone: other libraries may
     * read them. (-D properties are not checked here: the JVM's own, {@code java.*}, {@code user.*}, are among them.)
     */
    private static void checkRoot(String name, Set<String> roots, PropertySource<?> source) {
        boolean settingsFile = source.getName().startsWith("Config resource");
        if (!settingsFile && !source.getName().equals("commandLineArgs")) {
            return;
        }
        ConfigurationPropertyName setting = ConfigurationPropertyName.adapt(name, '.');
        String root = setting.getElement(0, ConfigurationPropertyName.Form.UNIFORM);
        if (settingsFile && root.equals(NOT_A_MAP)) {
            throw unknown(name, source, "the file holds a list or a text where settings belong; settings are"
                    + " written 'name: value' (bridge:, spring:, server:), not '- item'");
        }
        String nearest = roots.contains(root) ? null : NearestName.of(root, roots);
        if (nearest != null) {
            throw unknown(name, source, "there is no group '" + setting.getElement(0,
                    ConfigurationPropertyName.Form.ORIGINAL) + "'; did you mean " + nearest + "?");
        }
    }

    private static void check(String name, Map<String, Map<String, String>> known, PropertySource<?> source) {
        if (!name.startsWith("bridge.") || name.equals(BENCH)) {
            return;
        }
        ConfigurationPropertyName setting = ConfigurationPropertyName.adapt(name, '.');
        String group = "bridge";
        for (int i = 1; i < setting.getNumberOfElements() && !setting.isNumericIndex(i); i++) {
            String element = setting.getElement(i, ConfigurationPropertyName.Form.UNIFORM);
            if (group.equals(TARGETS)) {
                // The name as written: Spring drops from a map key what a name cannot hold ("a/b" becomes "ab").
                String problem = TargetNames.problem(rawTarget(name));
                if (problem != null) {
                    throw new IllegalStateException(name + ": " + problem + " (set in " + where(name, source) + ")");
                }
                // A target's name, then one of its fields; its options are the route template's to check.
                String field = i + 1 < setting.getNumberOfElements()
                        ? setting.getElement(i + 1, ConfigurationPropertyName.Form.UNIFORM) : null;
                if (field == null || TARGET_FIELDS.contains(field) && (field.equals("options")
                        || i + 2 == setting.getNumberOfElements() || setting.isNumericIndex(i + 2))) {
                    return;
                }
                throw unknown(name, source, "a target has no setting '" + field + "'"
                        + NearestName.suggestion(field, TARGET_FIELDS));
            }
            Map<String, String> children = known.get(group);
            String child = children == null ? null : children.get(element);
            if (child == null) {
                String nearest = children == null ? null : NearestName.of(element, children.values());
                throw unknown(name, source, children == null ? group + " is one value, not a group of settings"
                        : group + " has no setting '" + setting.getElement(i, ConfigurationPropertyName.Form.ORIGINAL)
                        + "'" + (nearest == null ? "" : "; did you mean " + group + "." + nearest + "?"));
            }
            group = group + "." + child;
        }
    }

    /** The target's name as written after {@code bridge.targets}: up to the next dot, or within brackets. */
    private static String rawTarget(String name) {
        String rest = name.substring(TARGETS.length());
        rest = rest.startsWith(".") ? rest.substring(1) : rest;
        if (rest.startsWith("[")) {
            int end = rest.indexOf(']');
            return end < 0 ? rest.substring(1) : rest.substring(1, end);
        }
        int end = rest.length();
        for (char stop : new char[] {'.', '['}) {
            int at = rest.indexOf(stop);
            end = at >= 0 ? Math.min(end, at) : end;
        }
        return rest.substring(0, end);
    }

    private static IllegalStateException unknown(String name, PropertySource<?> source, String reason) {
        return new IllegalStateException(name + ": no such setting: " + reason + " (set in " + where(name, source)
                + ")");
    }

    /** Where a setting was written: "config/application.yaml, line 3", or the source's name (command line). */
    private static String where(String name, PropertySource<?> source) {
        Origin origin = OriginLookup.getOrigin(source, name);
        try {
            if (origin instanceof TextResourceOrigin text && text.getResource() != null
                    && text.getResource().isFile() && text.getLocation() != null) {
                return text.getResource().getFile().getPath() + ", line " + (text.getLocation().getLine() + 1);
            }
        } catch (IOException e) {
            // Named by its origin below.
        }
        return switch (source.getName()) {
            case "commandLineArgs" -> "the command line";
            case StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME -> "a -D system property";
            default -> origin == null ? source.getName() : origin.toString();
        };
    }

    /** Each group of the defaults file and its settings: {@code bridge.webhook} holds {@code path}, ... */
    private static Map<String, Map<String, String>> knownGroups() {
        Map<String, Map<String, String>> groups = new HashMap<>();
        for (String name : ShippedDefaults.names()) {
            ConfigurationPropertyName setting = ConfigurationPropertyName.adapt(name, '.');
            String group = setting.getElement(0, ConfigurationPropertyName.Form.ORIGINAL);
            for (int i = 1; i < setting.getNumberOfElements() && !setting.isNumericIndex(i)
                    && !group.equals(TARGETS); i++) {
                String element = setting.getElement(i, ConfigurationPropertyName.Form.ORIGINAL);
                groups.computeIfAbsent(group, any -> new LinkedHashMap<>())
                        .put(setting.getElement(i, ConfigurationPropertyName.Form.UNIFORM), element);
                group = group + "." + element;
            }
        }
        return groups;
    }

    @Override
    public int getOrder() {
        // After the settings files are read, before BridgeFolders adds the folders it works out.
        return Ordered.LOWEST_PRECEDENCE - 1;
    }
}
