package com.jodoerp.bridge.system;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs a folder, so that a name made or renamed in it survives a power cut as the file's synced contents do: a
 * file's own sync does not cover its entry in the folder. A file system that cannot sync a folder (Windows cannot
 * open one) is told once, in the log, with what a power cut could then take.
 */
public class FolderSync {

    private static final Logger log = LoggerFactory.getLogger(FolderSync.class);

    private final String folders;
    private final String atRisk;
    private final AtomicBoolean refused = new AtomicBoolean();

    /**
     * @param folders which folders, for the log ("Intake journal folder")
     * @param atRisk what a power cut could take from one that cannot be synced
     */
    public FolderSync(String folders, String atRisk) {
        this.folders = folders;
        this.atRisk = atRisk;
    }

    public void sync(Path folder) {
        if (refused.get()) {
            return;
        }
        try {
            force(folder);
        } catch (IOException cannot) {
            if (refused.compareAndSet(false, true)) {
                log.warn("{} {} cannot be synced ({}): after a power cut {}", folders, folder, cannot.toString(),
                        atRisk);
            }
        }
    }

    /** The system call itself (a test sees when it is made). */
    protected void force(Path folder) throws IOException {
        try (FileChannel entries = FileChannel.open(folder, StandardOpenOption.READ)) {
            entries.force(true);
        }
    }
}
