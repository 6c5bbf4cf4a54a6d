package com.jodoerp.bridge.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default: an H2 file under the data folder that remembers across restarts. */
class EmbeddedStoreTest {

    @TempDir
    Path dataDir;

    @Test
    void deduplicationHoldsAfterARestart() {
        byte[] body = Samples.bytes("cred.loan.disbursed");
        String id = Samples.eventId(body);
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of())) {
            assertThat(bridge.postWebhook(body, null).statusCode()).isEqualTo(202);
        }
        try (BridgeInstance restarted = BridgeInstance.start(dataDir, Map.of())) {
            assertThat(restarted.postWebhook(body, null).statusCode()).isEqualTo(200);
            assertThat(restarted.inboxRows(id)).isEqualTo(1);
        }
    }

    @Test
    void theStoreLivesInTheDataFolder() {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of())) {
            assertThat(bridge.postWebhook(Samples.bytes("cred.loan.disbursed"), null).statusCode()).isEqualTo(202);
            assertThat(Files.exists(dataDir.resolve("bridge.mv.db"))).isTrue();
        }
    }
}
