package com.jodoerp.bridge.system;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A settings file that is not valid YAML (the integrator's most likely slip: a tab, an indent, an unclosed bracket)
 * stops start-up before anything else, and SnakeYAML places the fault "in 'reader'", without the file's name, above a
 * stack trace. Spring reads the school's settings from the folder the bridge is started in, so the file is found again
 * by reading each settings file Spring looks for there and keeping the one that fails at the same place.
 */
public class SettingsFileRefusals implements FailureAnalyzer {

    // Spring's own file names in the working folder, config/ first as the README and the image use it.
    private static final List<String> SETTINGS_FILES = List.of("config/application.yaml", "config/application.yml",
            "application.yaml", "application.yml");
    // Route files are parsed by Camel, which names the file in the mark ("file:/.../routes/x.camel.yaml").
    private static final String UNNAMED = "'reader'";

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        MarkedYAMLException yaml = yamlFault(failure);
        if (yaml == null || yaml.getProblemMark() == null || !UNNAMED.equals(yaml.getProblemMark().getName())) {
            return null;
        }
        String file = SETTINGS_FILES.stream().map(Path::of).filter(Files::isRegularFile)
                .filter(candidate -> failsAt(candidate, yaml)).findFirst()
                .map(found -> found.toAbsolutePath().toString())
                .orElse("A settings file (config/application.yaml, or one named by spring.config.location)");
        // Where what was being read began ("while parsing a flow sequence"): an unclosed '[' is only seen at the end.
        String context = yaml.getContext() == null || yaml.getContextMark() == null ? ""
                : "\n" + yaml.getContext() + " " + at(yaml.getContextMark());
        return new FailureAnalysis(file + " is not valid YAML: " + yaml.getProblem() + " " + at(yaml.getProblemMark())
                + context, "Correct the file (indent with spaces, two per level, never tabs; quote a value that holds"
                + " ': ' or ' #') and start the bridge again.", failure);
    }

    private static String at(Mark mark) {
        return "at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ":\n" + mark.get_snippet();
    }

    private static MarkedYAMLException yamlFault(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked) {
                return marked;
            }
        }
        return null;
    }

    private static boolean failsAt(Path file, MarkedYAMLException seen) {
        // As Spring reads it: a key given twice is refused too.
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object document : new Yaml(options).loadAll(reader)) {
                // Each document is parsed as the loop reaches it; what it holds does not matter here.
            }
            return false;
        } catch (MarkedYAMLException again) {
            Mark at = again.getProblemMark();
            return at != null && at.getLine() == seen.getProblemMark().getLine()
                    && at.getColumn() == seen.getProblemMark().getColumn()
                    && Objects.equals(again.getProblem(), seen.getProblem());
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }
}
