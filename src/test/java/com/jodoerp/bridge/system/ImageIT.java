package com.jodoerp.bridge.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.support.Folders;
import com.jodoerp.bridge.support.PackagedBridge;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI image deploy/image/build-image.sh built (CI builds it: Maven profile "image"), run as a container
 * runtime would, without one: its layers unpacked in order into a root, its entrypoint started chrooted there
 * as the image's user, in its working folder, with its environment; then a webhook goes in and its record lands
 * in the image's data volume, written by that unprivileged user; the JVM starts with the image's class data sharing
 * archive.
 */
class ImageIT {

    private static final Path IMAGE = Path.of("target/image/oci");
    private static final String SECRET = "image-it-secret";

    @TempDir
    Path work;

    @Test
    void theBridgeRunsFromTheImagesLayersAsItsUser() throws Exception {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            awaitTheImageBuild();
        }
        boolean built = Files.isRegularFile(IMAGE.resolve("index.json"));
        if (!built && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("no image at " + IMAGE + ": under CI the Maven profile 'image' builds it");
        }
        Assumptions.assumeTrue(built, "no image built (deploy/image/build-image.sh; CI builds it)");

        JsonNode index = Samples.tree(Files.readString(IMAGE.resolve("index.json")));
        assertThat(index.at("/manifests/0/annotations/org.opencontainers.image.ref.name").asText())
                .isEqualTo("jodo-erp-bridge");
        JsonNode manifest = blob(index.at("/manifests/0/digest").asText());
        JsonNode config = blob(manifest.at("/config/digest").asText()).path("config");
        assertThat(config.path("User").asText()).isEqualTo("10001:10001");
        assertThat(config.path("Volumes").has("/data")).isTrue();
        assertThat(config.path("ExposedPorts").has("8080/tcp")).isTrue();

        Path root = Files.createDirectories(work.resolve("rootfs"));
        for (JsonNode layer : manifest.path("layers")) {
            run(List.of("tar", "-xzpf", blobPath(layer.path("digest").asText()).toString(), "-C", root.toString(),
                    "--numeric-owner"));
        }
        // A runtime mounts /proc in the container; Java needs it to find its own libraries.
        Path launcher = Files.writeString(work.resolve("launch.sh"), """
                set -e
                mount -t proc proc "$ROOTFS/proc"
                exec chroot --userspec="$IMAGE_USER" "$ROOTFS" /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$IMAGE_WORKDIR" "$@"
                """);
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--fork",
                "--kill-child", "/bin/sh", launcher.toString()));
        config.path("Entrypoint").forEach(part -> command.add(part.asText()));
        config.path("Cmd").forEach(part -> command.add(part.asText()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("bridge.log").toFile());
        Map<String, String> environment = builder.environment();
        environment.clear();
        config.path("Env").forEach(pair -> {
            String[] parts = pair.asText().split("=", 2);
            environment.put(parts[0], parts[1]);
        });
        int port = PackagedBridge.freePort();
        // What `docker run -e` would add: the port and the secret.
        environment.put("SERVER_PORT", String.valueOf(port));
        environment.put("JODO_WEBHOOK_SECRET", SECRET);
        environment.put("ROOTFS", root.toString());
        environment.put("IMAGE_USER", config.path("User").asText());
        environment.put("IMAGE_WORKDIR", config.path("WorkingDir").asText());
        Process bridge = builder.start();
        try {
            PackagedBridge.awaitReady(port, bridge);
            assertThat(PackagedBridge.post(port, SECRET, "evt_oci_1").statusCode()).isEqualTo(202);
            Path outbox = root.resolve("data/erp-outbox");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Folders.files(outbox))
                    .extracting(file -> file.getFileName().toString()).contains("evt_oci_1.json"));
            Path record = Folders.files(outbox).stream()
                    .filter(file -> file.getFileName().toString().equals("evt_oci_1.json")).findFirst().orElseThrow();
            assertThat(Files.getAttribute(record, "unix:uid")).as("written by the image's user, not root")
                    .isEqualTo(10001);
            assertThat(Files.readString(work.resolve("bridge.log"))).as("the shipped launch settings apply")
                    .contains("JVM: heap limit").contains(PackagedBridge.shippedJvmOptions());
            // The class data sharing archive made inside the image at build time, used by the image's own Java (a
            // JVM that cannot use it says so in this warning and starts without it).
            assertThat(config.path("Entrypoint").toString()).contains("-XX:SharedArchiveFile=/app/jodo-erp-bridge.jsa");
            assertThat(root.resolve("app/jodo-erp-bridge.jsa")).isNotEmptyFile();
            assertThat(Files.readString(work.resolve("bridge.log"))).as("the archive is used")
                    .doesNotContain("Unable to use shared archive");
        } finally {
            // unshare --fork ignores SIGTERM itself: stop the bridge, as a runtime stops its container's process.
            bridge.descendants().forEach(ProcessHandle::destroy);
            if (!bridge.waitFor(60, TimeUnit.SECONDS)) {
                bridge.descendants().forEach(ProcessHandle::destroyForcibly);
                bridge.destroyForcibly();
            }
        }
    }

    /**
     * Under CI the profile builds the image in the background while the other ITs run (pom.xml), and writes its exit
     * status last, after this package's jar: waits for that, and fails with the build's output if it failed.
     */
    private static void awaitTheImageBuild() throws Exception {
        Path exit = Path.of("target/image-build.exit");
        Path log = Path.of("target/image-build.log");
        Path jar = Path.of(System.getProperty("bridge.jar"));
        if (!newerThan(log, jar)) {
            // Started before the other ITs, the build has made its log by now, unless it never started.
            throw new IllegalStateException("no image build under way (target/image-build.log): under CI the Maven"
                    + " profile 'image' builds it, unless told to skip (-Dexec.skip)");
        }
        await("the image build (target/image-build.log)").atMost(Duration.ofMinutes(15))
                .pollInterval(Duration.ofSeconds(1)).until(() -> newerThan(exit, jar));
        String said = Files.readString(log);
        assertThat(Files.readString(exit).strip()).as("deploy/image/build-image.sh's exit status; it said:%n%s",
                said.substring(Math.max(0, said.length() - 4000))).isEqualTo("0");
    }

    private static boolean newerThan(Path file, Path than) throws Exception {
        return Files.isRegularFile(file)
                && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(than)) >= 0;
    }

    private static JsonNode blob(String digest) throws Exception {
        return Samples.tree(Files.readString(blobPath(digest)));
    }

    private static Path blobPath(String digest) {
        return IMAGE.resolve("blobs").resolve(digest.replace(':', '/'));
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(command + ": " + said).isZero();
    }
}
