package com.jodoerp.bridge.system;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files written whole or not at all, and kept once written: the content goes to a hidden temporary name and is forced
 * to the disk, is renamed over the final name in one atomic step, and the folder is synced. A reader never sees half
 * a file, writing the same file again leaves the same file, and once {@link #write} returns a power cut takes neither
 * the file's name nor its content (a file's own sync does not cover its entry in the folder).
 */
public final class DurableFiles {

    private final FolderSync folders;

    public DurableFiles(FolderSync folders) {
        this.folders = folders;
    }

    public void write(Path folder, String name, byte[] content) throws IOException {
        // Checked first: createDirectories on a folder that exists asks the system to make it anyway and builds two
        // exceptions (with stack traces) to learn that it does, once per file.
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder);
            // Its name in the folder above (a file target's new {date} folder), which a power cut could forget too.
            folders.sync(folder.toAbsolutePath().getParent());
        }
        Path temporary = folder.resolve("." + name + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException | RuntimeException notWritten) {
            // Whole or not at all: the part written under the temporary name goes, or on a full disk each record
            // waiting for its next try would hold some of the room the disk needs back.
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException notDeleted) {
                notWritten.addSuppressed(notDeleted);
            }
            throw notWritten;
        }
        try {
            Files.move(temporary, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("folder " + folder + " does not support atomic renames; choose a local folder", e);
        }
        folders.sync(folder);
    }
}
