package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTargetTest {

    @TempDir
    Path folder;

    @Test
    void writingTheSameRecordAgainLeavesTheSameFileAndNoTemporary() throws Exception {
        byte[] record = "{\"event_id\":\"e1\",\"amount\":3000.00}\n".getBytes(StandardCharsets.UTF_8);
        FileTarget.writeAtomically(folder.resolve("pay"), "e1.json", record);
        FileTarget.writeAtomically(folder.resolve("pay"), "e1.json", record);

        assertThat(Files.readAllBytes(folder.resolve("pay").resolve("e1.json"))).isEqualTo(record);
        try (var files = Files.list(folder.resolve("pay"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("e1.json");
        }
    }
}
