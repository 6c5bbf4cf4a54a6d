package com.jodoerp.bridge.inbox;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32;


import com.jodoerp.bridge.store.EmbeddedStoreClosed;
import com.jodoerp.bridge.store.EmbeddedStoreWrites;
import com.jodoerp.bridge.store.StoreKind;
import com.jodoerp.bridge.system.FolderSync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The embedded store's write-ahead journal for the intake: what makes a 2xx on H2 survive a killed process.
 *
 * <p>PostgreSQL and MariaDB make every commit durable themselves; there the journal is off. H2 has no
 * write-ahead log: either every commit writes a new copy-on-write chunk of its file ({@code WRITE_DELAY=0},
 * tens of KB per webhook, measured, and the file never compacted) or commits reach the file up to half a second
 * later. So H2 runs with its background writer, and each committed intake batch is appended here, after its
 * commit and before its webhooks are answered: a short sequential write instead of a rewrite of B-tree pages.
 * Every second the journal moves to a new file, H2 writes itself out and syncs its file ({@link EmbeddedStoreWrites}),
 * and the old file, now covered by the store, is deleted. At start-up, journal files a killed process left behind
 * are replayed through the intake's own idempotent store, so events it had answered are stored once, never twice.
 *
 * <p>Each append is forced to the disk before its webhooks are answered, and each new file's name in its folder, so
 * a 2xx survives a power cut as well as a killed process (for which the operating system's page cache would do).
 * Group commit shares one sync among the webhooks that arrived together.
 */
@Component
public class IntakeJournal {

    private static final Logger log = LoggerFactory.getLogger(IntakeJournal.class);
    private static final int MAGIC = 0x4A4F444F;
    private static final String SUFFIX = ".journal";
    /** A record's mark, length and checksum around its bytes. */
    private static final int RECORD_OVERHEAD = 4 + 4 + 8;
    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;
    private final Path folder;
    private final boolean enabled;
    private final List<Path> leftBehind;
    private final Object lock = new Object();
    private final FolderSync folderSync = new FolderSync("Intake journal folder",
            "a journal file made just before may be missing");
    private FileChannel current;
    private Path currentPath;

    public IntakeJournal(StoreKind store, JdbcTemplate jdbc, ApplicationEventPublisher events,
                         @Value("${bridge.data-path}") Path dataPath) throws IOException {
        this.jdbc = jdbc;
        this.events = events;
        this.folder = dataPath.resolve("intake-journal");
        this.enabled = store.h2();
        this.leftBehind = enabled ? journals() : List.of();
    }

    /**
     * Hands on, in order, the webhooks of the journal files a previous process left (it answered them, and its store
     * may not have written them), in batches of at most {@code maxCount} webhooks and {@code maxBytes} of bodies:
     * a journal of large bodies is never held whole. Returns how many webhooks there were.
     */
    int replay(int maxCount, long maxBytes, Consumer<List<ReceivedWebhook>> store) {
        Batches batches = new Batches(maxCount, maxBytes, store);
        leftBehind.forEach(file -> read(file, batches::add));
        batches.handOn();
        return batches.count;
    }

    /** Webhooks gathered in order into batches, each handed on once the next would not fit. */
    private static final class Batches {
        private final int maxCount;
        private final long maxBytes;
        private final Consumer<List<ReceivedWebhook>> store;
        private List<ReceivedWebhook> batch = new ArrayList<>();
        private long bytes;
        private int count;

        Batches(int maxCount, long maxBytes, Consumer<List<ReceivedWebhook>> store) {
            this.maxCount = maxCount;
            this.maxBytes = maxBytes;
            this.store = store;
        }

        void add(ReceivedWebhook webhook) {
            if (batch.size() >= maxCount || bytes + webhook.rawBody.length > maxBytes) {
                handOn();
            }
            batch.add(webhook);
            bytes += webhook.rawBody.length;
            count++;
        }

        void handOn() {
            if (!batch.isEmpty()) {
                store.accept(batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
        }
    }

    /** Once the left-behind webhooks are stored: writes the store out and deletes their files. */
    void recovered() {
        if (!leftBehind.isEmpty()) {
            writeStoreOut();
            leftBehind.forEach(IntakeJournal::delete);
        }
    }

    void open() {
        if (enabled) {
            synchronized (lock) {
                rotate();
            }
        }
    }

    /**
     * Called after a batch's commit, before its answers: new events and copies alike, so every 2xx is covered.
     * Returns once the records are on the disk (fdatasync), not only in the page cache.
     */
    void append(List<ReceivedWebhook> batch) throws IOException {
        if (!enabled) {
            return;
        }
        ByteBuffer records = ByteBuffer.wrap(encode(batch));
        synchronized (lock) {
            while (records.hasRemaining()) {
                current.write(records);
            }
            current.force(false);
        }
    }

    /** Starts a new file, writes the store out, then drops the old file: everything in it was committed before. */
    void checkpoint() {
        if (!enabled) {
            return;
        }
        FileChannel previous;
        Path previousPath;
        synchronized (lock) {
            previous = current;
            previousPath = currentPath;
            rotate();
        }
        try {
            retire(previous, previousPath);
        } catch (IOException | RuntimeException notYet) {
            // The old file stays and is replayed at the next start-up; replaying is harmless, losing it is not.
            log.warn("Intake journal checkpoint failed; {} is kept: {}", previousPath.getFileName(), notYet.toString());
            if (EmbeddedStoreClosed.closed(notYet)) {
                events.publishEvent(new EmbeddedStoreClosed.Found(notYet));
            }
        }
    }

    /** At shutdown, with the writers stopped: writes the store out and leaves no journal behind. */
    void close() {
        if (!enabled) {
            return;
        }
        synchronized (lock) {
            try {
                retire(current, currentPath);
            } catch (IOException | RuntimeException notNow) {
                log.warn("Intake journal not closed cleanly; {} is replayed at the next start-up: {}",
                        currentPath.getFileName(), notNow.toString());
            }
        }
    }

    /** Closes a journal file, writes the store out (so it holds everything the file did), then deletes the file. */
    private void retire(FileChannel file, Path path) throws IOException {
        file.close();
        writeStoreOut();
        delete(path);
    }

    /**
     * Writes H2's committed changes to its file and fsyncs it, waiting for the writes its background writer has
     * under way (see {@link EmbeddedStoreWrites}). The sync is also what lets the store reuse the space of dead
     * chunks after seconds rather than H2's default 45 ({@code RETENTION_TIME} in the default URL): the chunks that
     * replaced them are on the disk, not only in the page cache.
     */
    private void writeStoreOut() {
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            EmbeddedStoreWrites.writeOut(connection);
            return null;
        });
    }

    private void rotate() {
        try {
            // Checked first, as the file target does: on an existing folder createDirectories builds two exceptions.
            if (!Files.isDirectory(folder)) {
                Files.createDirectories(folder);
            }
            currentPath = Files.createTempFile(folder, "intake-", SUFFIX);
            current = openFile(currentPath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open an intake journal file in " + folder, e);
        }
        // The new file's name survives a power cut with the records synced into it.
        folderSync.sync(folder);
    }

    /** Opens a new journal file for appending (a test looks at what is written to it, and when it is synced). */
    FileChannel openFile(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private List<Path> journals() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
    }

    private static byte[] encode(List<ReceivedWebhook> batch) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(batch.size() * 1500);
        DataOutputStream out = new DataOutputStream(bytes);
        for (ReceivedWebhook webhook : batch) {
            byte[] record = record(webhook);
            CRC32 crc = new CRC32();
            crc.update(record);
            out.writeInt(MAGIC);
            out.writeInt(record.length);
            out.write(record);
            out.writeLong(crc.getValue());
        }
        return bytes.toByteArray();
    }

    private static byte[] record(ReceivedWebhook webhook) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(webhook.rawBody.length + 200);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF(webhook.eventId);
        out.writeUTF(webhook.event);
        out.writeLong(webhook.timestamp);
        out.writeLong(webhook.receivedAt.getEpochSecond());
        out.writeInt(webhook.receivedAt.getNano());
        out.writeUTF(webhook.remoteAddress);
        out.writeInt(webhook.rawBody.length);
        out.write(webhook.rawBody);
        return bytes.toByteArray();
    }

    /**
     * Every whole record of a file. A record cut short by a kill was never answered, so it is left out; so is one
     * cut short by a write that failed (a full disk), whose webhooks were answered 503, and the records appended
     * after it are read on from the next record mark.
     */
    private static void read(Path file, Consumer<ReceivedWebhook> each) {
        // Mapped, not read into the heap: a journal of bodies near the 1 MB limit runs to tens of megabytes.
        ByteBuffer bytes;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read intake journal " + file, e);
        }
        int at = 0;
        while (at + RECORD_OVERHEAD <= bytes.limit()) {
            byte[] record = wholeRecordAt(bytes, at);
            if (record == null) {
                at++;
                continue;
            }
            try {
                each.accept(decode(record));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot decode a record of intake journal " + file, e);
            }
            at += RECORD_OVERHEAD + record.length;
        }
    }

    /** The record that starts at {@code at}, when a whole one does: its mark, its length and its checksum agree. */
    private static byte[] wholeRecordAt(ByteBuffer bytes, int at) {
        if (bytes.getInt(at) != MAGIC) {
            return null;
        }
        int length = bytes.getInt(at + 4);
        if (length < 0 || length > bytes.limit() - at - RECORD_OVERHEAD) {
            return null;
        }
        byte[] record = new byte[length];
        bytes.get(at + 8, record);
        CRC32 crc = new CRC32();
        crc.update(record);
        return bytes.getLong(at + 8 + length) == crc.getValue() ? record : null;
    }

    private static ReceivedWebhook decode(byte[] record) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(record));
        String eventId = in.readUTF();
        String event = in.readUTF();
        long timestamp = in.readLong();
        Instant receivedAt = Instant.ofEpochSecond(in.readLong(), in.readInt());
        String remoteAddress = in.readUTF();
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return new ReceivedWebhook(eventId, event, timestamp, receivedAt, remoteAddress, body);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete intake journal " + file, e);
        }
    }
}
