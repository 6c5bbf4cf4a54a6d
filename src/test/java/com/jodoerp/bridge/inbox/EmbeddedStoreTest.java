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
    void theStoreLivesInTheDataFolderAndWritesEveryCommitThrough() {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of())) {
            assertThat(Files.exists(dataDir.resolve("bridge.mv.db"))).isTrue();
            // H2 otherwise delays writes by up to half a second: a kill -9 would lose events already answered 202.
            assertThat(bridge.jdbc().queryForList(
                    "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'",
                    String.class)).isNotEmpty().containsOnly("0");
        }
    }
}
