package com.jodoerp.bridge.delivery;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.jodoerp.bridge.system.NearestName;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A mapping an integrator keeps beside the settings (config/erpnext.yaml, config/tally.yaml): plain YAML of texts
 * and tables, read once at start-up. A missing file or key stops start-up naming the setting, the file and the key,
 * and so does a key the mapping does not read: a misspelt {@code fee-head-acounts} would otherwise book every fee to
 * the receivable account without a word. Every value is a text, read as written: YAML's other types would turn
 * {@code walk-in-party: 0457} into 303 (an octal number) and a {@code yes} into true, and a key given twice (the
 * second {@code company:} an accountant adds at the end) or a table line without a value would pick a value nobody
 * chose, so they stop start-up too.
 */
public final class MappingFile {

    private final String setting;
    private final Path file;
    private final Map<String, Object> values;

    private MappingFile(String setting, Path file, Map<String, Object> values) {
        this.setting = setting;
        this.file = file;
        this.values = values;
    }

    /** Reads {@code file}, named by the option {@code setting} (for messages), whose keys must be among {@code known}. */
    public static MappingFile read(String setting, Path file, List<String> known) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(setting + ": cannot read " + file.toAbsolutePath());
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object loaded = textYaml().load(reader);
            if (!(loaded instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(setting + ": " + file + " is not a YAML mapping of keys to values");
            }
            Map<String, Object> values = new LinkedHashMap<>();
            map.forEach((key, value) -> values.put(String.valueOf(key), value));
            for (String key : values.keySet()) {
                if (!known.contains(key)) {
                    throw new IllegalArgumentException(setting + " (" + file + "): '" + key + "' is not a key it reads"
                            + NearestName.suggestion(key, known) + " (it reads: " + String.join(", ", known) + ")");
                }
            }
            values.forEach((key, value) -> mustBeTexts(setting + " (" + file + "): " + key, value));
            return new MappingFile(setting, file, values);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException refused) {
                throw refused;
            }
            throw new IllegalArgumentException(setting + ": " + file + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    /** A value is a text, or a table whose every line gives one. */
    private static void mustBeTexts(String where, Object value) {
        if (value instanceof List<?>) {
            throw new IllegalArgumentException(where + " must be a text or a table of name: value lines, not a list");
        }
        if (value instanceof Map<?, ?> table) {
            table.forEach((name, text) -> {
                if (!(text instanceof String line) || line.isBlank()) {
                    throw new IllegalArgumentException(where + ": the line for '" + name + "' must give a text");
                }
            });
        }
    }

    /** YAML whose plain values all stay texts, and which refuses a key given twice in one table. */
    private static Yaml textYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Resolver textsOnly = new Resolver() {
            @Override
            protected void addImplicitResolvers() {
                // none: 0457, yes, 1e3 and null are the texts they look like
            }
        };
        return new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options, textsOnly);
    }

    /** A text the file must give. */
    public String text(String key) {
        String value = optional(key, null);
        if (value == null) {
            throw new IllegalArgumentException(where(key) + " is missing");
        }
        return value;
    }

    public String optional(String key, String fallback) {
        Object value = values.get(key);
        if (value instanceof Map<?, ?>) {
            throw new IllegalArgumentException(where(key) + " must be a text, not a table");
        }
        if (value == null || String.valueOf(value).isBlank()) {
            return fallback;
        }
        return String.valueOf(value).trim();
    }

    /** One of {@code allowed}, or {@code fallback} when the file does not say; anything else stops start-up. */
    public String oneOf(String key, String fallback, List<String> allowed) {
        String value = optional(key, fallback);
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(where(key) + " must be " + String.join(" or ", allowed) + ", not '"
                    + value + "'");
        }
        return value;
    }

    /** A table of texts ({@code key: value} lines under {@code key}); empty when absent. */
    public Map<String, String> table(String key) {
        Object value = values.get(key);
        if (value == null || value instanceof String text && text.isBlank()) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(where(key) + " must be a table of name: value lines");
        }
        Map<String, String> table = new LinkedHashMap<>();
        map.forEach((name, text) -> table.put(String.valueOf(name), String.valueOf(text).trim()));
        return table;
    }

    /** The value of a table for {@code name}, else its {@code default} line, else a start-up-time error. */
    public String lookup(String key, String name) {
        Map<String, String> table = table(key);
        String value = name == null ? null : table.get(name);
        if (value == null) {
            value = table.get("default");
        }
        if (value == null) {
            throw new IllegalArgumentException(where(key) + " has no line for '" + name + "' and no default line");
        }
        return value;
    }

    /** Checks at start-up that a table can answer for any name. */
    public void requireDefault(String key) {
        if (!table(key).containsKey("default")) {
            throw new IllegalArgumentException(where(key) + " needs a 'default' line");
        }
    }

    private String where(String key) {
        return setting + " (" + file + "): " + key;
    }
}
