package com.jodoerp.bridge.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.jodoerp.bridge.dispatch.EventDispatcher;
import com.jodoerp.bridge.webhook.WebhookExchange;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Writes a canonical record as {@code <directory>/<family>/<event_id>.json}: first to a hidden temporary
 * name, forced to disk, then renamed over the final name in one atomic step. A reader never sees half a
 * file, and writing the same record again leaves the same file.
 */
@Component("fileTarget")
public class FileTarget {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    /** Exchange property the file-target template sets to its folder. */
    public static final String DIRECTORY = "jodoTargetDirectory";

    public void write(Exchange exchange) throws IOException {
        Path folder = Path.of(exchange.getProperty(DIRECTORY, String.class))
                .resolve(exchange.getProperty(EventDispatcher.FAMILY, String.class));
        String name = exchange.getProperty(WebhookExchange.EVENT_ID, String.class) + ".json";
        Map<?, ?> record = exchange.getMessage().getBody(Map.class);
        writeAtomically(folder, name, (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static void writeAtomically(Path folder, String name, byte[] content) throws IOException {
        Files.createDirectories(folder);
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
