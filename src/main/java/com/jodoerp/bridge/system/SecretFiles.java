package com.jodoerp.bridge.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Secrets from files, the convention of container secrets and systemd credentials: {@code JODO_WEBHOOK_SECRET_FILE}
 * names a file whose content becomes {@code JODO_WEBHOOK_SECRET}, and so for every variable of the bridge and of
 * the integrator's settings ({@code JODO_*}, {@code BRIDGE_*}, {@code ERP_*}, {@code SFTP_*}). One trailing line
 * break is dropped, as {@code echo secret > file} adds one. Setting both forms, or a file that cannot be read, stops
 * start-up naming the variable; the content is never logged.
 */
public class SecretFiles implements EnvironmentPostProcessor, Ordered {

    private static final Pattern SECRET_FILE = Pattern.compile("(JODO|BRIDGE|ERP|SFTP)_[A-Z0-9_]+_FILE");
    private static final long MAX_BYTES = 64 * 1024;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> secrets = new LinkedHashMap<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> names)) {
                continue;
            }
            for (String name : names.getPropertyNames()) {
                if (!SECRET_FILE.matcher(name).matches() || secrets.containsKey(variable(name))) {
                    continue;
                }
                String variable = variable(name);
                Object file = source.getProperty(name);
                if (file == null || file.toString().isBlank()) {
                    continue;
                }
                if (environment.getProperty(variable) != null) {
                    throw new IllegalStateException(name + ": " + variable + " is set too; set one of them, not both");
                }
                secrets.put(variable, read(name, Path.of(file.toString().trim())));
            }
        }
        if (!secrets.isEmpty()) {
            // Last: a variable set directly was refused above, so nothing else defines these names.
            environment.getPropertySources().addLast(new MapPropertySource("secretFiles", secrets));
        }
    }

    private static String variable(String fileVariable) {
        return fileVariable.substring(0, fileVariable.length() - "_FILE".length());
    }

    private static String read(String name, Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalStateException(name + ": " + file + " is larger than 64 KB; is it the right file?");
            }
            String secret = Files.readString(file, StandardCharsets.UTF_8);
            for (String ending : List.of("\r\n", "\n")) {
                if (secret.endsWith(ending)) {
                    return secret.substring(0, secret.length() - ending.length());
                }
            }
            return secret;
        } catch (IOException e) {
            throw new IllegalStateException(name + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    @Override
    public int getOrder() {
        // Before BridgeFolders and whatever else reads the settings, after the config files are loaded.
        return Ordered.LOWEST_PRECEDENCE - 10;
    }
}
