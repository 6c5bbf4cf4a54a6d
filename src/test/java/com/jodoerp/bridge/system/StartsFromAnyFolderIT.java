package com.jodoerp.bridge.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.jodoerp.bridge.support.Folders;
import com.jodoerp.bridge.support.PackagedBridge;
import com.jodoerp.bridge.support.ShippedRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar started from a folder of the operator's choosing: with nothing beside it, the routes and
 * settings shipped inside it run; a routes/ and config/ beside it replace them.
 */
class StartsFromAnyFolderIT {

    private static final String SECRET = UUID.randomUUID().toString();

    @TempDir
    Path work;

    @Test
    void anEmptyFolderRunsTheShippedRoutesAndSettings() throws Exception {
        Path empty = Files.createDirectories(work.resolve("empty"));
        Path data = work.resolve("data");
        int port = PackagedBridge.freePort();
        // Beside the secret: two misspelt variables, one in lower case that only its capitals name, and ones the bridge
        // reads (a setting's variable in any case) or leaves to others, which pass unnamed.
        String password = UUID.randomUUID().toString();
        Map<String, String> variables = Map.of("JODO_WEBHOOK_SECRET", SECRET,
                "BRIDGE_ADMIN_PASWORD", password, "BRIDGE_WEBHOOK_MAX_BODY_SIZE", "2MB",
                "bridge_webhook_maxbodysize", "1MB", "BRIDGE_WEBHOOK_ALLOWEDIPS_0", "127.0.0.1",
                "bridge_admin_user", "ops", "BRIDGE_TARGETS_OUTBOX_ENABLED", "true",
                "bridge_targets_outbox_enabled", "true",
                "BRIDGE_SERVICE_HOST", "10.0.0.7", "BRIDGE_PORT_8080_TCP_ADDR", "10.0.0.7");
        Process bridge = PackagedBridge.start(empty, data, port, variables);
        try {
            PackagedBridge.awaitReady(port, bridge);
            assertThat(PackagedBridge.post(port, SECRET, "evt_anywhere_1").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Folders.files(data.resolve("erp-outbox")))
                    .extracting(file -> file.getFileName().toString()).contains("evt_anywhere_1.json"));
            assertThat(empty).isEmptyDirectory();
        } finally {
            bridge.destroy();
            bridge.waitFor();
        }
        List<String> unread = Files.readAllLines(data.resolve("bridge.log")).stream()
                .filter(line -> line.contains(" WARN ") && line.contains("Environment variable ")).toList();
        assertThat(unread).hasSize(3);
        assertThat(unread.get(0)).contains("Environment variable BRIDGE_ADMIN_PASWORD is not one the bridge reads, so"
                + " it changes nothing; did you mean BRIDGE_ADMIN_PASSWORD?");
        assertThat(unread.get(1)).contains("Environment variable BRIDGE_WEBHOOK_MAX_BODY_SIZE is not one the bridge"
                + " reads, so it changes nothing; did you mean BRIDGE_WEBHOOK_MAXBODYSIZE?");
        assertThat(unread.get(2)).contains("Environment variable bridge_admin_user is not one the bridge reads, so it"
                + " changes nothing; did you mean BRIDGE_ADMIN_USER?");
        assertThat(String.join("\n", unread)).doesNotContain(password).doesNotContain("2MB");
    }

    @Test
    void aRoutesAndConfigFolderBesideTheJarReplaceTheShippedOnes() throws Exception {
        Path school = Files.createDirectories(work.resolve("school"));
        // A route of the school's own, which only runs when the folder beside the jar is the one loaded.
        ShippedRoutes.with(school.resolve("routes"), "school-own.camel.yaml", """
                - route:
                    id: school-own
                    from:
                      uri: timer:school-own?repeatCount=1
                      steps:
                        - setBody:
                            constant: loaded
                        - to: file:{{bridge.data-path}}?fileName=school-own.txt
                """);
        Files.createDirectories(school.resolve("config"));
        Files.writeString(school.resolve("config/application.yaml"), "bridge:\n  webhook:\n    path: /hooks/school\n");
        Path data = work.resolve("data");
        int port = PackagedBridge.freePort();
        Process bridge = PackagedBridge.start(school, data, port, Map.of("JODO_WEBHOOK_SECRET", SECRET));
        try {
            PackagedBridge.awaitReady(port, bridge);
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(data.resolve("school-own.txt")));
            assertThat(PackagedBridge.post(port, "/hooks/school", SECRET, "evt_school_1").statusCode()).isEqualTo(202);
            // The shipped path is no webhook any more; its answer says where webhooks go now.
            HttpResponse<String> shipped = PackagedBridge.post(port, SECRET, "evt_school_2");
            assertThat(shipped.statusCode()).isEqualTo(404);
            assertThat(shipped.body()).contains("webhooks go to POST /hooks/school");
        } finally {
            bridge.destroy();
            bridge.waitFor();
        }
    }

    @Test
    void aSettingsFileThatIsNotYamlIsNamedWithTheLineAtFault() throws Exception {
        // A tab where YAML takes only spaces: the slip an editor makes unseen.
        String log = refusedStart("tabbed", "bridge:\n  school:\n\ttime-zone: Asia/Kolkata\n");

        assertThat(log).contains(work.resolve("tabbed/config/application.yaml").toRealPath() + " is not valid YAML:"
                        + " found character '\\t(TAB)' that cannot start any token.")
                .contains("at line 3, column 1:\n    \ttime-zone: Asia/Kolkata")
                .contains("Correct the file (indent with spaces, two per level, never tabs;");
    }

    @Test
    void aSettingTheBridgeDoesNotHaveIsNamedWithItsFileAndLine() throws Exception {
        String log = refusedStart("typo", "bridge:\n  retention:\n    deliverd: 30d\n");

        assertThat(log).contains("bridge.retention.deliverd: no such setting: bridge.retention has no setting"
                + " 'deliverd'; did you mean bridge.retention.delivered? (set in config/application.yaml, line 3)");
    }

    /** The packaged jar started from a folder whose config/application.yaml is given: its report, once it stopped. */
    private String refusedStart(String folder, String settings) throws Exception {
        Path config = Files.createDirectories(work.resolve(folder).resolve("config"));
        Files.writeString(config.resolve("application.yaml"), settings);
        Path data = work.resolve(folder + "-data");
        Process bridge = PackagedBridge.start(config.getParent(), data, PackagedBridge.freePort(), Map.of());
        try {
            assertThat(bridge.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(bridge.exitValue()).isEqualTo(1);
        } finally {
            bridge.destroyForcibly();
        }
        String log = Files.readString(data.resolve("bridge.log"));
        assertThat(log).contains("APPLICATION FAILED TO START").doesNotContain("\tat org.");
        return log;
    }
}
