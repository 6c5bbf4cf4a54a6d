package com.jodoerp.bridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.jodoerp.bridge.support.DefaultSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A webhook secret short enough to be guessed by trying is warned of at start-up, by its length, never its text. */
@ExtendWith(OutputCaptureExtension.class)
class ShortSecretWarningTest {

    @Test
    void aShortSecretIsWarnedOfByItsLengthAlone(CapturedOutput output) {
        new SignatureVerifier(settings("Zq9x-7Kd", "prev-Wm4t-Yh2p-Lc8r-Bn6v-Qs1e-Gj5"));

        assertThat(output.getOut()).contains("The webhook secret (JODO_WEBHOOK_SECRET) is 8 characters long")
                .doesNotContain("JODO_WEBHOOK_SECRET_PREVIOUS) is")
                .doesNotContain("Zq9x-7Kd");
    }

    @Test
    void aLongSecretIsNotWarnedOf(CapturedOutput output) {
        new SignatureVerifier(settings("Wm4t-Yh2p-Lc8r-Bn6v-Qs1e-Gj5", ""));

        assertThat(output.getOut()).doesNotContain("The webhook secret");
    }

    private static WebhookProperties settings(String secret, String previous) {
        return DefaultSettings.bind("bridge.webhook", WebhookProperties.class,
                Map.of("bridge.webhook.secret", secret, "bridge.webhook.previous-secret", previous));
    }
}
