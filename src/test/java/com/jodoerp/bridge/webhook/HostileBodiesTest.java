package com.jodoerp.bridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.HostileCorpus;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and hostile bodies, each correctly signed so that only the envelope check stands between them
 * and the store: every one must get a 400 with a JSON reason, never a 5xx, and nothing may be stored.
 */
class HostileBodiesTest {

    private static final String SECRET = "corpus-secret";

    @TempDir
    static Path dataDir;
    static BridgeInstance bridge;

    @BeforeAll
    static void start() {
        bridge = BridgeInstance.start(dataDir, Map.of("bridge.webhook.secret", SECRET));
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    static List<HostileCorpus.Body> corpus() {
        return HostileCorpus.bodies();
    }

    @Test
    void theCorpusIsLargeEnough() {
        assertThat(corpus()).hasSizeGreaterThanOrEqualTo(70);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedWithA400AndNothingIsStored(HostileCorpus.Body body) {
        HttpResponse<String> response = bridge.postWebhook(body.bytes(), SECRET);

        assertThat(response.statusCode()).as(body.name() + ": " + response.body()).isEqualTo(400);
        JsonNode answer = Samples.tree(response.body());
        assertThat(answer.path("error").asText())
                .isIn("invalid_json", "invalid_envelope", "invalid_encoding", "invalid_number");
        assertThat(answer.path("message").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain(HostileCorpus.PHONE_DIGITS).doesNotContain(HostileCorpus.EMAIL);
        assertThat(bridge.inboxRows()).isZero();
        assertThat(bridge.eventIdRows()).isZero();
    }
}
