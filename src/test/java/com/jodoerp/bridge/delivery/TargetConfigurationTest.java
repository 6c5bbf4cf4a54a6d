package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import org.junit.jupiter.api.Test;
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
    void anUnknownFamilyIsNamed() {
        assertThatThrownBy(() -> BridgeInstance.start(dataDir, Map.of(
                "bridge.targets.erp.transport", "file",
                "bridge.targets.erp.families", "flex,fees",
                "bridge.targets.erp.options.directory", dataDir.toString())).close())
                .hasStackTraceContaining("bridge.targets.erp.families[1]")
                .hasStackTraceContaining("fees");
    }

    @Test
    void aMissingTemplateParameterIsNamed() {
        assertThatThrownBy(() -> BridgeInstance.start(dataDir, Map.of(
                "bridge.targets.erp.transport", "file",
                "bridge.targets.erp.families", "flex")).close())
                .hasStackTraceContaining("bridge.targets.erp.options")
                .hasStackTraceContaining("directory");
    }
}
