package com.jodoerp.bridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Secrets from files (JODO_WEBHOOK_SECRET_FILE and the like), as containers and systemd credentials provide them.
 * The packaged jar reads them from the environment (HostileCorpusIT); here the same names come as arguments.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretFilesTest {

    private static final String SECRET = "secret-from-a-file-51f0";

    @TempDir
    Path dataDir;

    @Test
    void theSecretInTheFileIsTheOneInForceAndIsNeverLoggedEvenAtDebug(CapturedOutput output) throws Exception {
        Path file = Files.writeString(dataDir.resolve("webhook-secret"), SECRET + "\n");
        try (BridgeInstance bridge = BridgeInstance.start(dataDir.resolve("data"), Map.of(
                "bridge.webhook.secret", "${JODO_WEBHOOK_SECRET:}",
                "JODO_WEBHOOK_SECRET_FILE", file.toString(),
                "logging.level.com.jodoerp", "DEBUG",
                "logging.level.org.springframework.boot.context", "DEBUG"))) {
            byte[] body = Samples.withEventId("flex.instalment.debited", Samples.freshId());
            assertThat(bridge.postWebhook(body, SECRET).statusCode()).isEqualTo(202);
            assertThat(bridge.postWebhook(body, SECRET + "\n").statusCode()).as("the line break is not part of it")
                    .isEqualTo(401);
        }
        assertThat(output.getAll()).doesNotContain(SECRET);
    }

    @Test
    void bothFormsOrAnUnreadableFileStopStartUpNamingTheVariable() {
        assertThatThrownBy(() -> BridgeInstance.start(dataDir, Map.of(
                "JODO_WEBHOOK_SECRET", "plain",
                "JODO_WEBHOOK_SECRET_FILE", dataDir.resolve("whatever").toString())).close())
                .hasStackTraceContaining("JODO_WEBHOOK_SECRET_FILE: JODO_WEBHOOK_SECRET is set too");
        assertThatThrownBy(() -> BridgeInstance.start(dataDir, Map.of(
                "BRIDGE_DB_PASSWORD_FILE", dataDir.resolve("missing-password").toString())).close())
                .hasStackTraceContaining("BRIDGE_DB_PASSWORD_FILE: cannot read");
    }
}
