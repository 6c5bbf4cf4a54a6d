package com.jodoerp.bridge.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jodoerp.bridge.support.Folders;
import com.jodoerp.bridge.support.PackagedBridge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped launch settings (config/jvm.options) carry the bridge's thread priorities to the operating system:
 * started as the README starts it, the threads that route and deliver run at the niceness the settings name for
 * Java's lowest priority, the intake's at 0.
 */
class WebhooksFirstIT {

    /** Made for this run, handed to the bridge in its environment as a school's would be. */
    private static final String SECRET = UUID.randomUUID().toString();

    @TempDir
    Path data;

    /** A thread as Linux sees it: its name cut to 15 bytes, and its niceness. */
    private record Task(String name, int nice) {
    }

    @Test
    void backgroundThreadsRunAtTheNicenessTheLaunchSettingsName() throws Exception {
        Matcher setting = Pattern.compile("(?m)^-XX:JavaPriority1_To_OSPriority=(\\d+)$")
                .matcher(Files.readString(Path.of("config/jvm.options")));
        assertThat(setting.find()).as("config/jvm.options maps Java's lowest priority").isTrue();
        int background = Integer.parseInt(setting.group(1));
        assertThat(background).as("a niceness below the intake's").isPositive();
        int port = PackagedBridge.freePort();
        Process bridge = PackagedBridge.start(data, port, SECRET);
        try {
            PackagedBridge.awaitReady(port, bridge);
            assertThat(PackagedBridge.post(port, SECRET, "evt_webhooks_first_1").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Folders.files(data.resolve("erp-outbox")))
                    .extracting(file -> file.getFileName().toString()).contains("evt_webhooks_first_1.json"));

            List<Task> tasks = tasks(bridge.pid());
            assertThat(tasks).filteredOn(task -> task.name().startsWith("intake-writer")).isNotEmpty()
                    .allSatisfy(task -> assertThat(task.nice()).isZero());
            assertThat(tasks).filteredOn(task -> task.name().startsWith("http-nio")).isNotEmpty()
                    .allSatisfy(task -> assertThat(task.nice()).isZero());
            assertThat(tasks).filteredOn(task -> task.name().startsWith("store-compactio")).isNotEmpty()
                    .allSatisfy(task -> assertThat(task.nice()).isEqualTo(background));
            // Camel's threads: the two queues' timers and their workers at least (the rest is Camel's own).
            assertThat(tasks).filteredOn(task -> task.name().startsWith("Camel (") && task.nice() == background)
                    .hasSizeGreaterThanOrEqualTo(4);
        } finally {
            bridge.destroy();
            bridge.waitFor();
        }
    }

    private static List<Task> tasks(long pid) throws IOException {
        List<Task> tasks = new ArrayList<>();
        try (var all = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : all.toList()) {
                String stat = Files.readString(task.resolve("stat"));
                // Field 19 of stat is the niceness, counted after the name's closing parenthesis (field 2).
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                tasks.add(new Task(Files.readString(task.resolve("comm")).trim(), Integer.parseInt(fields[16])));
            }
        }
        return tasks;
    }
}
