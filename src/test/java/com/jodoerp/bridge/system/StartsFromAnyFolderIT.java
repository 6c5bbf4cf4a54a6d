package com.jodoerp.bridge.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

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

    private static final String SECRET = "any-folder-secret";

    @TempDir
    Path work;

    @Test
    void anEmptyFolderRunsTheShippedRoutesAndSettings() throws Exception {
        Path empty = Files.createDirectories(work.resolve("empty"));
        Path data = work.resolve("data");
        int port = PackagedBridge.freePort();
        Process bridge = PackagedBridge.start(empty, data, port, Map.of("JODO_WEBHOOK_SECRET", SECRET));
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
}
