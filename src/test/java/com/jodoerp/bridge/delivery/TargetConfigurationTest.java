package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import com.jodoerp.bridge.support.BridgeInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** A wrong target setting stops start-up with a message that names it. */
class TargetConfigurationTest {

    @TempDir
    Path dataDir;

    @Test
    void anUnknownTransportIsNamed() {
        assertThatThrownBy(() -> BridgeInstance.start(dataDir, Map.of(
                "bridge.targets.erp.transport", "carrier-pigeon",
                "bridge.targets.erp.families", "flex")).close())
                .hasStackTraceContaining("bridge.targets.erp.transport")
                .hasStackTraceContaining("carrier-pigeon");
    }

    @Test
    void aTypoInAnOptionStopsStartUpNamingItAndTheNearestOption() {
        assertThatThrownBy(() -> BridgeInstance.start(dataDir, Map.of(
                "bridge.targets.erp.transport", "rest",
                "bridge.targets.erp.families", "flex",
                "bridge.targets.erp.options.url", "http://127.0.0.1:9",
                "bridge.targets.erp.options.read-timout", "45s")).close())
                .hasStackTraceContaining("bridge.targets.erp.options.read-timout")
                .hasStackTraceContaining("did you mean read-timeout?");
    }

    /** A switch that is neither true nor false; a socket timeout PostgreSQL's driver would round to none. */
    @ParameterizedTest
    @CsvSource({"batch-statements, sometimes", "socket-timeout, 500ms"})
    void aDatabaseOptionOutOfItsRangeIsNamed(String option, String value) {
        assertThatThrownBy(() -> BridgeInstance.start(dataDir, Map.of(
                "bridge.targets.erp.transport", "jdbc",
                "bridge.targets.erp.families", "flex",
                "bridge.targets.erp.options.url", "jdbc:h2:mem:erp",
                "bridge.targets.erp.options.statements", "routes/examples/jdbc/postgresql",
                "bridge.targets.erp.options." + option, value)).close())
                .hasStackTraceContaining("bridge.targets.erp.options." + option)
                .hasStackTraceContaining(value);
    }

    @Test
    void aMissingTemplateParameterIsNamed() {
        assertThatThrownBy(() -> BridgeInstance.start(dataDir, Map.of(
                "bridge.targets.erp.transport", "file",
                "bridge.targets.erp.families", "flex")).close())
                .hasStackTraceContaining("bridge.targets.erp.options")
                .hasStackTraceContaining("directory");
    }

    @Test
    void aReconciliationPageSizeThatIsNoCountIsNamed() {
        assertThatThrownBy(() -> BridgeInstance.start(dataDir, Map.of(
                "bridge.targets.erp.transport", "erpnext",
                "bridge.targets.erp.families", "direct",
                "bridge.targets.erp.options.url", "http://127.0.0.1:9",
                "bridge.targets.erp.options.api-key", UUID.randomUUID().toString(),
                "bridge.targets.erp.options.api-secret", UUID.randomUUID().toString(),
                "bridge.targets.erp.options.mapping", "config/erpnext.yaml",
                "bridge.targets.erp.options.reconciliation-page-size", "all")).close())
                .hasStackTraceContaining("bridge.targets.erp.options.reconciliation-page-size")
                .hasStackTraceContaining("'all'");
    }
}
