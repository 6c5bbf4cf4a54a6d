package com.jodoerp.bridge.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.jodoerp.bridge.flow.Flow;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The folder transport: each canonical record becomes one file (JSON or CSV, path from the target's layout),
 * written to a hidden temporary name, forced to disk, then renamed over the final name in one atomic step.
 * A reader never sees half a file, and writing the same record again leaves the same file.
 */
@Component("fileTarget")
public class FileTarget implements Transport {

    private final Map<String, RecordFiles> files = new ConcurrentHashMap<>();
    private final Receipts receipts;

    public FileTarget(Receipts receipts) {
        this.receipts = receipts;
    }

    @Override
    public String name() {
        return "file";
    }

    /** A file is written at once. */
    @Override
    public boolean callsInLine() {
        return true;
    }

    @Override
    public Map<String, String> prepare(String target, Map<String, String> options, CamelContext camelContext) {
        Path directory = Path.of(Transport.required(target, options, "directory"));
        // The folder is made at the first delivery, not here: it may be a share mounted after the bridge starts. A
        // file by that name can never become the folder, and would fail every delivery until someone looked.
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException("bridge.targets." + target + ".options.directory: " + directory
                    + " is a file, not a folder");
        }
        files.put(target, RecordFiles.of(target, options, receipts));
        return options;
    }

    /** Writes the record (the body) under {@code directory}, the template's folder. */
    public void write(Exchange exchange, String directory) throws IOException {
        RecordFiles recordFiles = files.get(exchange.getProperty(Flow.TARGET, String.class));
        Map<?, ?> record = exchange.getMessage().getBody(Map.class);
        byte[] content = recordFiles.content(record);
        if (content == null) {
            return;
        }
        Path file = Path.of(directory).resolve(recordFiles.path(record));
        writeAtomically(file.getParent(), file.getFileName().toString(), content);
    }

    static void writeAtomically(Path folder, String name, byte[] content) throws IOException {
        // Checked first: createDirectories on a folder that exists asks the system to make it anyway and builds two
        // exceptions (with stack traces) to learn that it does, once per delivered file.
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder);
        }
        Path temporary = folder.resolve("." + name + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("folder " + folder + " does not support atomic renames; choose a local folder", e);
        }
    }
}
