package com.jodoerp.bridge.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.jodoerp.bridge.store.DelegatingFileChannel;
import com.jodoerp.bridge.store.EmbeddedStoreClosed;
import com.jodoerp.bridge.store.StoreKind;
import com.jodoerp.bridge.support.FullDiskH2Files;
import com.jodoerp.bridge.support.DefaultSettings;
import com.jodoerp.bridge.observability.BridgeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The journal a killed process leaves behind is read back whole, up to a record the kill cut short (that one
 * was never answered). The end-to-end proof, a kill -9 under load and the restart, is KillNineDurabilityIT.
 */
class IntakeJournalTest {

    @TempDir
    Path data;

    @Test
    void aKilledProcessesJournalIsReadBackUpToTheRecordTheKillCutShort() throws Exception {
        DriverManagerDataSource h2 = new DriverManagerDataSource("jdbc:h2:mem:journal-test;DB_CLOSE_DELAY=-1", "sa", "");
        IntakeJournal killed = new IntakeJournal(StoreKind.EMBEDDED_H2, new JdbcTemplate(h2), event -> { }, data);
        killed.open();
        Instant receivedAt = Instant.parse("2026-11-23T10:15:30.123456789Z");
        killed.append(List.of(webhook("ev-1", receivedAt), webhook("ev-2", receivedAt)));
        killed.append(List.of(webhook("ev-3", receivedAt)));
        Path file = onlyJournal();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 5);
        }

        List<ReceivedWebhook> found = leftBehind(
                new IntakeJournal(StoreKind.EMBEDDED_H2, new JdbcTemplate(h2), event -> { }, data));

        assertThat(found).extracting(webhook -> webhook.eventId).containsExactly("ev-1", "ev-2");
        ReceivedWebhook first = found.get(0);
        assertThat(first.event).isEqualTo("flex.instalment.debited");
        assertThat(first.timestamp).isEqualTo(1720593900L);
        assertThat(first.receivedAt).isEqualTo(receivedAt);
        assertThat(first.remoteAddress).isEqualTo("203.0.113.7");
        assertThat(new String(first.rawBody, StandardCharsets.UTF_8)).isEqualTo("{\"event_id\":\"ev-1\"}");
    }

    @Test
    void aRecordCutShortByAFailedWriteHidesNoneAppendedAfterIt() throws Exception {
        DriverManagerDataSource h2 = new DriverManagerDataSource("jdbc:h2:mem:journal-torn;DB_CLOSE_DELAY=-1", "sa", "");
        IntakeJournal journal = new IntakeJournal(StoreKind.EMBEDDED_H2, new JdbcTemplate(h2), event -> { }, data);
        journal.open();
        Instant receivedAt = Instant.now();
        journal.append(List.of(webhook("ev-1", receivedAt)));
        Path file = onlyJournal();
        long whole = Files.size(file);
        // The disk fills in the middle of ev-2's batch: part of its record reaches the file, and it is answered 503.
        journal.append(List.of(webhook("ev-2", receivedAt)));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(whole + 11);
        }
        // Room again: later batches go on in the same file.
        journal.append(List.of(webhook("ev-3", receivedAt), webhook("ev-4", receivedAt)));

        List<ReceivedWebhook> found = leftBehind(
                new IntakeJournal(StoreKind.EMBEDDED_H2, new JdbcTemplate(h2), event -> { }, data));

        assertThat(found).extracting(webhook -> webhook.eventId).containsExactly("ev-1", "ev-3", "ev-4");
    }

    /**
     * A power cut loses what is only in the operating system's page cache: an append returns (and its webhooks are
     * answered) only once a force to the disk has followed its writes.
     */
    @Test
    void anAppendReturnsOnlyOnceItsRecordsAreForcedToTheDisk() throws Exception {
        DriverManagerDataSource h2 = new DriverManagerDataSource("jdbc:h2:mem:journal-sync;DB_CLOSE_DELAY=-1", "sa",
                "");
        List<String> calls = new CopyOnWriteArrayList<>();
        IntakeJournal journal = new IntakeJournal(StoreKind.EMBEDDED_H2, new JdbcTemplate(h2), event -> { }, data) {
            @Override
            FileChannel openFile(Path file) throws IOException {
                return new DelegatingFileChannel(super.openFile(file)) {
                    @Override
                    public int write(ByteBuffer source, long position) throws IOException {
                        calls.add("write");
                        return super.write(source, position);
                    }

                    @Override
                    public void force(boolean metaData) throws IOException {
                        calls.add("force");
                        super.force(metaData);
                    }
                };
            }
        };
        journal.open();
        Instant receivedAt = Instant.now();
        for (List<ReceivedWebhook> batch : List.of(List.of(webhook("ev-1", receivedAt)),
                List.of(webhook("ev-2", receivedAt), webhook("ev-3", receivedAt)))) {
            calls.clear();
            journal.append(batch);
            assertThat(calls).as("what reached the file for " + batch.size() + " webhook(s)").contains("write")
                    .last().isEqualTo("force");
        }
        assertThat(leftBehind(new IntakeJournal(StoreKind.EMBEDDED_H2, new JdbcTemplate(h2), event -> { }, data)))
                .extracting(webhook -> webhook.eventId).containsExactly("ev-1", "ev-2", "ev-3");
    }

    /** Replayed at start-up in transactions bounded in count and in bytes, so a journal of large bodies fits. */
    @Test
    void theJournalIsHandedBackInBatchesBoundedInCountAndBytes() throws Exception {
        IntakeJournal killed = journalOver("journal-batches");
        killed.open();
        Instant receivedAt = Instant.now();
        killed.append(List.of(webhook("ev-1", receivedAt), webhook("ev-2", receivedAt), webhook("ev-3", receivedAt)));
        killed.append(List.of(webhook("ev-4", receivedAt), webhook("ev-5", receivedAt)));

        // Each body is 19 bytes: two fit in 40, three do not.
        List<List<String>> byBytes = new ArrayList<>();
        int count = journalOver("journal-batches").replay(3, 40, batch -> byBytes.add(ids(batch)));
        List<List<String>> byCount = new ArrayList<>();
        journalOver("journal-batches").replay(3, Long.MAX_VALUE, batch -> byCount.add(ids(batch)));

        assertThat(count).isEqualTo(5);
        assertThat(byBytes).containsExactly(List.of("ev-1", "ev-2"), List.of("ev-3", "ev-4"), List.of("ev-5"));
        assertThat(byCount).containsExactly(List.of("ev-1", "ev-2", "ev-3"), List.of("ev-4", "ev-5"));
    }

    /** A journal in this test's data folder over an in-memory H2 store of that name, as a start-up would open it. */
    private IntakeJournal journalOver(String store) throws Exception {
        return new IntakeJournal(StoreKind.EMBEDDED_H2, new JdbcTemplate(new DriverManagerDataSource(
                "jdbc:h2:mem:" + store + ";DB_CLOSE_DELAY=-1", "sa", "")), event -> { }, data);
    }

    private static List<String> ids(List<ReceivedWebhook> batch) {
        return batch.stream().map(webhook -> webhook.eventId).toList();
    }

    private static List<ReceivedWebhook> leftBehind(IntakeJournal journal) {
        List<ReceivedWebhook> found = new ArrayList<>();
        journal.replay(Integer.MAX_VALUE, Long.MAX_VALUE, found::addAll);
        return found;
    }

    @Test
    void aCheckpointDropsTheFilesTheStoreNowHolds() throws Exception {
        DriverManagerDataSource h2 = new DriverManagerDataSource("jdbc:h2:mem:journal-checkpoint;DB_CLOSE_DELAY=-1", "sa", "");
        IntakeJournal journal = new IntakeJournal(StoreKind.EMBEDDED_H2, new JdbcTemplate(h2), event -> { }, data);
        journal.open();
        journal.append(List.of(webhook("ev-1", Instant.now())));
        Path before = onlyJournal();

        journal.checkpoint();

        assertThat(before).doesNotExist();
        assertThat(leftBehind(new IntakeJournal(StoreKind.EMBEDDED_H2, new JdbcTemplate(h2), event -> { }, data)))
                .isEmpty();
    }

    /**
     * H2's background writer writes a chunk on threads of its own, after it has taken the changes out of the store. A
     * checkpoint that came just then found nothing left to write, synced the file before that chunk was in it, and
     * deleted the journal; when the chunk's write then failed (the disk full), the webhooks in it were answered 202
     * and gone after the restart (EmbeddedStoreOutOfRoomIT, now and then). A checkpoint waits for that write.
     */
    @Test
    void aCheckpointKeepsTheJournalUntilTheWriteH2HasUnderWayIsInItsFile() throws Exception {
        FullDiskH2Files.register();
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(
                "jdbc:h2:fulldisk:" + data.resolve("store") + ";DB_CLOSE_DELAY=-1", "sa", ""));
        jdbc.execute("CREATE TABLE answered (event_id VARCHAR(64) PRIMARY KEY)");
        jdbc.execute("CHECKPOINT SYNC");
        List<Object> published = new CopyOnWriteArrayList<>();
        IntakeJournal journal = new IntakeJournal(StoreKind.EMBEDDED_H2, jdbc, published::add, data);
        journal.open();
        jdbc.update("INSERT INTO answered VALUES ('ev-1')");
        journal.append(List.of(webhook("ev-1", Instant.now())));
        FullDiskH2Files.failNextWrite();
        try {
            // H2's background writer (every 500 ms by default) takes the insert and starts writing it out.
            assertThat(FullDiskH2Files.awaitFailingWrite(Duration.ofSeconds(10))).isTrue();
            CompletableFuture<Void> checkpoint = CompletableFuture.runAsync(journal::checkpoint);
            // While that write is under way, the checkpoint waits for it rather than drop the journal.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !checkpoint.isDone());
            FullDiskH2Files.releaseFailingWrite();
            checkpoint.get(10, TimeUnit.SECONDS);
        } finally {
            FullDiskH2Files.releaseFailingWrite();
        }

        assertThat(leftBehind(new IntakeJournal(StoreKind.EMBEDDED_H2, jdbc, event -> { }, data)))
                .extracting(webhook -> webhook.eventId).containsExactly("ev-1");
        assertThat(published).singleElement().isInstanceOf(EmbeddedStoreClosed.Found.class);
    }

    /**
     * An interrupt inside H2's file I/O closes the store's file channel for good (ClosedByInterruptException), so
     * stopping the intake must let a running checkpoint finish rather than interrupt it.
     */
    @Test
    void aCheckpointRunningWhenTheIntakeStopsIsLetFinishNotInterrupted() throws Exception {
        DataSource h2 = new DriverManagerDataSource("jdbc:h2:file:" + data.resolve("store"), "sa", "");
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        CountDownLatch checkpointing = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        IntakeJournal journal = new IntakeJournal(StoreKind.EMBEDDED_H2, jdbc, event -> { }, data) {
            @Override
            void checkpoint() {
                checkpointing.countDown();
                try {
                    Thread.sleep(Duration.ofMillis(300).toMillis());
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
                super.checkpoint();
            }
        };
        GroupCommit intake = new GroupCommit(DefaultSettings.bind("bridge.intake", IntakeProperties.class, Map.of("bridge.intake.writers", 1)),
                new BridgeMetrics(new SimpleMeterRegistry(), jdbc, Duration.ofMinutes(5), Duration.ofMinutes(1)),
                journal,
                new StaticListableBeanFactory().getBeanProvider(CamelContext.class));
        intake.start();
        assertThat(checkpointing.await(10, TimeUnit.SECONDS)).isTrue();

        intake.stop();

        assertThat(interrupted).as("checkpoint interrupted by stop()").isFalse();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES", Integer.class)).isPositive();
        assertThat(data.resolve("intake-journal")).isEmptyDirectory();
    }

    private Path onlyJournal() throws Exception {
        try (Stream<Path> files = Files.list(data.resolve("intake-journal"))) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    private static ReceivedWebhook webhook(String eventId, Instant receivedAt) {
        return new ReceivedWebhook(eventId, "flex.instalment.debited", 1720593900L, receivedAt, "203.0.113.7",
                ("{\"event_id\":\"" + eventId + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
