package com.jodoerp.bridge.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

    private static final byte[] RECORD = "{\"event_id\":\"e1\",\"amount\":3000.00}\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path folder;

    /** Each folder sync the files asked for: the folder, and what it held at that moment. */
    private final List<String> syncs = new ArrayList<>();

    private final FolderSync watched = new FolderSync("Test folder", "nothing") {
        @Override
        protected void force(Path synced) throws IOException {
            try (Stream<Path> names = Files.list(synced)) {
                syncs.add(folder.relativize(synced) + ": " + names.map(name -> name.getFileName().toString())
                        .sorted().toList());
            }
            super.force(synced);
        }
    };

    @Test
    void writingTheSameFileAgainLeavesTheSameFileAndNoTemporary() throws Exception {
        new DurableFiles(watched).write(folder.resolve("pay"), "e1.json", RECORD);
        new DurableFiles(watched).write(folder.resolve("pay"), "e1.json", RECORD);

        assertThat(Files.readAllBytes(folder.resolve("pay").resolve("e1.json"))).isEqualTo(RECORD);
        try (Stream<Path> files = Files.list(folder.resolve("pay"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("e1.json");
        }
    }

    /**
     * A power cut may forget a name not yet synced into its folder, whatever the file's own sync: so the folder is
     * synced once the file has its final name, and a folder made for it (a layout's new day) in the folder above.
     */
    @Test
    void theFolderIsSyncedOnceTheFileHasItsNameAndANewFolderInItsParent() throws Exception {
        DurableFiles files = new DurableFiles(watched);
        files.write(folder.resolve("2026-12-07"), "e1.json", RECORD);
        files.write(folder.resolve("2026-12-07"), "e2.json", RECORD);

        assertThat(syncs).containsExactly(
                ": [2026-12-07]",
                "2026-12-07: [e1.json]",
                "2026-12-07: [e1.json, e2.json]");
    }

    /** Windows cannot open a folder to sync it: the file is written all the same, and the refusal told once. */
    @Test
    void aFolderThatCannotBeSyncedStillGetsItsFile() throws Exception {
        List<Path> tried = new ArrayList<>();
        DurableFiles files = new DurableFiles(new FolderSync("Test folder", "nothing") {
            @Override
            protected void force(Path synced) throws IOException {
                tried.add(synced);
                throw new IOException("Is a directory");
            }
        });
        files.write(folder, "e1.json", RECORD);
        files.write(folder, "e2.json", RECORD);

        assertThat(Files.readAllBytes(folder.resolve("e2.json"))).isEqualTo(RECORD);
        assertThat(tried).as("not tried again once refused").containsExactly(folder);
    }
}
