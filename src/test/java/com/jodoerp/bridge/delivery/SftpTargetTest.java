package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.jodoerp.bridge.canonical.CanonicalMapper;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.EmbeddedSftpServer;
import com.jodoerp.bridge.support.Folders;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SFTP transport against an embedded Apache MINA SSHD server. */
class SftpTargetTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final String OPERATOR_PASSWORD = "ops-" + UUID.randomUUID();

    @TempDir
    static Path work;
    static EmbeddedSftpServer sftp;
    static BridgeInstance bridge;

    @BeforeAll
    static void start() throws Exception {
        KeyPair clientKey = EmbeddedSftpServer.rsa();
        sftp = new EmbeddedSftpServer(work.resolve("sftp-root"), clientKey.getPublic());
        Map<String, String> settings = new HashMap<>();
        settings.put("bridge.delivery.retry.initial-backoff", "200ms");
        settings.put("bridge.delivery.retry.max-backoff", "400ms");
        settings.put("bridge.targets.outbox.enabled", "false");
        settings.put("bridge.admin.username", "ops");
        settings.put("bridge.admin.password", OPERATOR_PASSWORD);
        // Password login, JSON files in the default layout.
        sftpTarget(settings, "drop", "*", Map.of(
                "password", EmbeddedSftpServer.PASSWORD,
                "directory", "incoming",
                "known-hosts-file", sftp.knownHosts(work.resolve("known_hosts")).toString()));
        // Key login, CSV by day.
        sftpTarget(settings, "ledger", "flex,direct", Map.of(
                "private-key-file", EmbeddedSftpServer.writePrivateKey(clientKey, work.resolve("id_rsa")).toString(),
                "directory", "ledger",
                "format", "csv",
                "layout", "{date}/{kind}-{event_id}",
                "known-hosts-file", work.resolve("known_hosts").toString()));
        // A host key that does not match: nothing may be uploaded.
        sftpTarget(settings, "impostor", "cred", Map.of(
                "password", EmbeddedSftpServer.PASSWORD,
                "directory", "never",
                "known-hosts-file", sftp.wrongKnownHosts(work.resolve("wrong_known_hosts")).toString()));
        // A folder from the server's root, as an SFTP path with a leading '/' is.
        sftpTarget(settings, "archive", "masterdata", Map.of(
                "password", EmbeddedSftpServer.PASSWORD,
                "directory", "/srv/archive/",
                "known-hosts-file", work.resolve("known_hosts").toString()));
        bridge = BridgeInstance.start(work.resolve("data"), settings);
    }

    private static void sftpTarget(Map<String, String> settings, String name, String families,
                                   Map<String, String> options) {
        settings.put("bridge.targets." + name + ".transport", "sftp");
        settings.put("bridge.targets." + name + ".families", families);
        settings.put("bridge.targets." + name + ".options.host", "127.0.0.1");
        settings.put("bridge.targets." + name + ".options.port", String.valueOf(sftp.port()));
        settings.put("bridge.targets." + name + ".options.username", EmbeddedSftpServer.USER);
        options.forEach((key, value) -> settings.put("bridge.targets." + name + ".options." + key, value));
    }

    @AfterAll
    static void stop() throws Exception {
        bridge.close();
        sftp.close();
    }

    @Test
    void everySampleIsUploadedAsItsCanonicalRecordAndNoTemporaryFileRemains() throws Exception {
        for (String event : Samples.events()) {
            assertThat(bridge.postWebhook(Samples.bytes(event), null).statusCode()).isEqualTo(202);
        }
        for (String event : Samples.events()) {
            String id = Samples.eventId(Samples.bytes(event));
            Path file = sftp.home().resolve("incoming").resolve(Samples.familyOf(event)).resolve(id + ".json");
            await().atMost(WITHIN).until(() -> Files.exists(file) && bridge.deliveryState(id, "drop").equals("DELIVERED"));
            assertThat(CanonicalMapper.read(Files.readAllBytes(file)).path("event_id").asText()).isEqualTo(id);
        }
        assertThat(Folders.files(sftp.home().resolve("incoming")).stream().map(p -> p.getFileName().toString()))
                .noneMatch(n -> n.endsWith(".tmp"));
    }

    @Test
    void keyLoginUploadsCsvInTheConfiguredLayout() throws Exception {
        String id = deliveredTo("ledger", "direct.payment.cancelled");

        List<Path> csv = Folders.files(sftp.home().resolve("ledger")).stream()
                .filter(p -> p.getFileName().toString().equals("payment-" + id + ".csv")).toList();
        assertThat(csv).hasSize(1);
        assertThat(csv.get(0).getParent().getFileName().toString()).matches("\\d{4}-\\d\\d-\\d\\d");
        List<String> lines = Files.readAllLines(csv.get(0));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("event_id,event,occurred_at,jodo_student_id,");
        assertThat(lines.get(1)).contains(id).contains("pay_7f3c21a9").contains("5500.00").contains("TUITION_FEE")
                .contains("3500.00");
        assertThat(lines.get(2)).contains("TRANSPORT_FEE").contains("2000.00");
    }

    /** Camel takes an endpoint's folder as under the home folder: "/srv/archive" became ~/srv/archive, silently. */
    @Test
    void aFolderWithALeadingSlashIsFromTheServersRootNotUnderTheHomeFolder() throws Exception {
        String id = deliveredTo("archive", "masterdata.student.registered");

        assertThat(sftp.root().resolve("srv/archive/masterdata/" + id + ".json")).exists();
        assertThat(sftp.home().resolve("srv")).doesNotExist();
    }

    /** Delivering a record twice changes nothing: a replay lands over the file the first delivery left. */
    @Test
    void aReplayUploadsTheRecordOverItsFile() throws Exception {
        String id = deliveredTo("drop", "direct.payment.added");
        Path file = sftp.home().resolve("incoming/direct/" + id + ".json");
        Files.writeString(file, "edited on the server");

        assertThat(bridge.admin("POST", "/admin/events/" + id + "/replay", "ops", OPERATOR_PASSWORD, null).statusCode())
                .isEqualTo(200);
        await().atMost(WITHIN).until(() -> bridge.deliveryAttempts(id, "drop") == 2
                && "DELIVERED".equals(bridge.deliveryState(id, "drop")));
        assertThat(CanonicalMapper.read(Files.readAllBytes(file)).path("event_id").asText()).isEqualTo(id);
    }

    /**
     * A drop its importer leaves files in keeps growing: an upload asks about its own file (and whether the folder is
     * there, in one read of a few entries), never reads the whole folder.
     */
    @Test
    void anUploadDoesNotReadEveryFileAlreadyInItsFolder() throws Exception {
        Path folder = Files.createDirectories(sftp.home().resolve("incoming/flex"));
        int files = 2_000;
        for (int i = 0; i < files; i++) {
            Files.writeString(folder.resolve("imported-" + i + ".json"), "{}");
        }
        int before = sftp.entriesRead(folder);

        String id = deliveredTo("drop", "flex.instalment.settled");

        assertThat(folder.resolve(id + ".json")).exists();
        assertThat(sftp.entriesRead(folder) - before).isLessThan(files);
    }

    /** Posts the sample under a fresh id and waits for its delivery to the target; the id. */
    private static String deliveredTo(String target, String event) {
        String id = Samples.freshId();
        assertThat(bridge.postWebhook(Samples.withEventId(event, id), null).statusCode()).isEqualTo(202);
        await().atMost(WITHIN).until(() -> bridge.deliveryState(id, target).equals("DELIVERED"));
        return id;
    }

    @Test
    void anUnknownHostKeyUploadsNothing() {
        String id = Samples.freshId();
        assertThat(bridge.postWebhook(Samples.withEventId("cred.loan.rejected", id), null).statusCode())
                .isEqualTo(202);

        await().atMost(WITHIN).until(() -> bridge.deliveryAttempts(id, "impostor") >= 2);
        assertThat(bridge.deliveryState(id, "impostor")).isEqualTo("PENDING");
        assertThat(sftp.home().resolve("never")).doesNotExist();
        // The reason names the cause an operator can act on, not only "Cannot connect to sftp://...".
        assertThat(bridge.jdbc().queryForObject("SELECT last_error FROM delivery WHERE event_id = ? AND target = ?",
                String.class, id, "impostor")).containsIgnoringCase("HostKey");
    }
}
