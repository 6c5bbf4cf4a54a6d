package com.jodoerp.bridge.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.jodoerp.bridge.flow.Flow;
import com.jodoerp.bridge.system.DurableFiles;
import com.jodoerp.bridge.system.FolderSync;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The folder transport: each canonical record becomes one file (JSON or CSV, path from the target's layout), written
 * whole or not at all ({@link DurableFiles}). A reader never sees half a file, writing the same record again leaves
 * the same file, and a record the bridge has recorded as delivered is in the folder after a power cut too.
 */
@Component("fileTarget")
public class FileTarget implements Transport {

    private static final DurableFiles DURABLE = new DurableFiles(new FolderSync("Target folder",
            "a file delivered just before may be missing while the bridge has it as delivered"));

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
        DURABLE.write(file.getParent(), file.getFileName().toString(), content);
    }
}
