package com.jodoerp.bridge.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jodoerp.bridge.support.Folders;
import com.jodoerp.bridge.support.PackagedBridge;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile, followed without a container engine: its COPY lines lay the files out under a stand-in root (shared
 * by its stages), its exec-form RUN lines run there, its ENV is the environment, its WORKDIR the working folder, its
 * ENTRYPOINT the command (paths under the root); the bridge started that way starts with its class data sharing
 * archive, takes a webhook and delivers it into the volume.
 */
class StartsAsTheImageDoesIT {

    private static final String SECRET = "image-secret";
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final Pattern ENV_PAIR = Pattern.compile("([A-Z_]+)=(\"[^\"]*\"|\\S+)");

    @TempDir
    Path root;

    @Test
    void theBridgeStartsWithTheImagesLayoutEnvironmentAndEntrypoint() throws Exception {
        List<String> lines = instructions(Files.readString(Path.of("Dockerfile")));
        Map<String, String> environment = new LinkedHashMap<>();
        Path workdir = root;
        List<String> entrypoint = List.of();
        List<String> healthCheck = List.of();
        for (String line : lines) {
            String[] parts = line.split("\\s+", 2);
            switch (parts[0]) {
                case "WORKDIR" -> workdir = under(parts[1]);
                case "COPY" -> copy(parts[1]);
                case "RUN" -> {
                    // Only the exec form is followed (the training run); shell-form lines set up users and owners.
                    if (parts[1].startsWith("[")) {
                        run(jsonArray(parts[1]).stream().map(this::onHost).toList(), workdir);
                    }
                }
                case "ENV" -> {
                    Matcher pair = ENV_PAIR.matcher(parts[1]);
                    while (pair.find()) {
                        environment.put(pair.group(1), unquote(pair.group(2)));
                    }
                }
                case "VOLUME" -> Files.createDirectories(under(parts[1]));
                case "ENTRYPOINT" -> entrypoint = jsonArray(parts[1]);
                case "HEALTHCHECK" -> healthCheck = jsonArray(parts[1].substring(parts[1].indexOf("CMD ") + 4));
                default -> { }
            }
        }
        assertThat(entrypoint).as("ENTRYPOINT").isNotEmpty();
        assertThat(environment).containsKeys("BRIDGE_DATA_DIR");
        Path data = under(environment.get("BRIDGE_DATA_DIR"));
        int port = PackagedBridge.freePort();
        environment.put("SERVER_PORT", String.valueOf(port));
        environment.put("BRIDGE_DATA_DIR", data.toString());
        environment.put("JODO_WEBHOOK_SECRET", SECRET);

        List<String> command = entrypoint.stream().map(this::onHost).toList();
        ProcessBuilder builder = new ProcessBuilder(command).directory(workdir.toFile()).redirectErrorStream(true)
                .redirectOutput(root.resolve("bridge.log").toFile());
        builder.environment().putAll(environment);
        Process bridge = builder.start();
        try {
            PackagedBridge.awaitReady(port, bridge);
            assertThat(PackagedBridge.post(port, SECRET, "evt_image_1").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Folders.files(data.resolve("erp-outbox")))
                    .extracting(file -> file.getFileName().toString()).contains("evt_image_1.json"));
            // The image's health check, run as Docker would run it: healthy once webhooks are taken.
            ProcessBuilder check = new ProcessBuilder(healthCheck).redirectErrorStream(true);
            check.environment().putAll(environment);
            Process checked = check.start();
            String said = new String(checked.getInputStream().readAllBytes());
            assertThat(checked.waitFor()).as("HEALTHCHECK " + healthCheck + ": " + said).isZero();
            ProcessBuilder elsewhere = new ProcessBuilder(healthCheck).redirectErrorStream(true);
            elsewhere.environment().put("SERVER_PORT", String.valueOf(PackagedBridge.freePort()));
            Process nobody = elsewhere.start();
            nobody.getInputStream().readAllBytes();
            assertThat(nobody.waitFor()).as("the check fails where nothing answers").isNotZero();
            assertThat(Files.readString(root.resolve("bridge.log"))).as("the shipped launch settings apply")
                    .contains("JVM: heap limit").contains(PackagedBridge.shippedJvmOptions());
            assertThat(entrypoint).as("started with the class data sharing archive")
                    .contains("-XX:SharedArchiveFile=/app/jodo-erp-bridge.jsa");
            assertThat(under("/app/jodo-erp-bridge.jsa")).isNotEmptyFile();
            // A JVM that cannot use the archive (another runtime, a changed jar) says so in this warning.
            assertThat(Files.readString(root.resolve("bridge.log"))).as("the archive is used")
                    .doesNotContain("Unable to use shared archive");
        } finally {
            bridge.destroy();
            bridge.waitFor();
        }
    }

    /** The Dockerfile's instructions, continuation lines joined and comments dropped. */
    private static List<String> instructions(String dockerfile) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.split("\n")) {
            if (line.startsWith("#") || (line.isBlank() && current.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
            } else {
                lines.add(current.append(line).toString().trim());
                current.setLength(0);
            }
        }
        return lines;
    }

    /** An argument of the Dockerfile as it reads on this machine: this JVM for java, paths under the stand-in root. */
    private String onHost(String argument) {
        if (argument.equals("java")) {
            return JAVA;
        }
        if (argument.startsWith("/")) {
            return under(argument).toString();
        }
        if (argument.startsWith("@/")) {
            return "@" + under(argument.substring(1));
        }
        int value = argument.indexOf("=/") + 1;
        return value == 0 ? argument : argument.substring(0, value) + under(argument.substring(value));
    }

    /** Runs a RUN line with this JVM first on the PATH, as the image's only Java. */
    private static void run(List<String> command, Path workdir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workdir.toFile()).redirectErrorStream(true);
        builder.environment().put("PATH", Path.of(JAVA).getParent() + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String said = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as("RUN " + command + ": " + said).isZero();
    }

    private void copy(String arguments) throws IOException {
        String[] parts = arguments.trim().split("\\s+");
        if (parts[0].startsWith("--from=")) {
            // The stages share the stand-in root: what an earlier stage made is already where it is copied to.
            assertThat(parts[1]).as("COPY " + arguments).isEqualTo(parts[2]);
            return;
        }
        Path target = under(parts[1]);
        Files.createDirectories(target.getParent());
        Path source = Path.of(parts[0]);
        if (parts[0].contains("*")) {
            try (var matches = Files.newDirectoryStream(source.getParent(), source.getFileName().toString())) {
                List<Path> found = new ArrayList<>();
                matches.forEach(found::add);
                assertThat(found).as(parts[0]).hasSize(1);
                source = found.get(0);
            }
        }
        if (Files.isDirectory(source)) {
            Files.createDirectories(target);
            try (var files = Files.walk(source)) {
                for (Path file : files.toList()) {
                    Path copied = target.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(copied);
                    } else {
                        Files.copy(file, copied, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Path under(String absolute) {
        return root.resolve(absolute.trim().replaceFirst("^/", ""));
    }

    private static String unquote(String value) {
        return value.startsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private static List<String> jsonArray(String json) {
        List<String> values = new ArrayList<>();
        Samples.tree(json).forEach(value -> values.add(value.asText()));
        return values;
    }
}
