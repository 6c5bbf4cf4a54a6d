package com.jodoerp.bridge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The systemd unit in deploy/, as systemd itself checks it, with its hardening and its credentials. */
class ServiceUnitTest {

    private static final Path UNIT = Path.of("deploy/jodo-erp-bridge.service");

    @Test
    void systemdAcceptsTheUnit() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        Process verify = new ProcessBuilder(analyze.toString(), "verify", UNIT.toString()).redirectErrorStream(true)
                .start();
        String said = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(verify.exitValue()).as(said).isZero();
        // Only what it says about our unit counts: the host's own units may draw warnings of their own.
        assertThat(said.lines().filter(line -> line.contains("jodo-erp-bridge")))
                .as("systemd-analyze verify says nothing about a sound unit").isEmpty();
    }

    @Test
    void secretsAreCredentialsAndTheServiceIsConfined() throws Exception {
        String unit = Files.readString(UNIT);
        assertThat(unit).contains("LoadCredential=jodo-webhook-secret:")
                .contains("Environment=JODO_WEBHOOK_SECRET_FILE=%d/jodo-webhook-secret")
                .contains("StateDirectory=jodo-erp-bridge").contains("Environment=BRIDGE_DATA_DIR=/var/lib/jodo-erp-bridge")
                .contains("DynamicUser=yes").contains("NoNewPrivileges=yes").contains("ProtectSystem=strict")
                .contains("CapabilityBoundingSet=\n");
        assertThat(Files.readString(Path.of("deploy/jodo-erp-bridge.env"))).doesNotContainPattern("(?m)^[A-Z_]*SECRET=");
    }
}
