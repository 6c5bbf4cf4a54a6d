package com.jodoerp.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.jodoerp.bridge.support.FullDiskH2Files;
import com.zaxxer.hikari.HikariDataSource;
import org.h2.store.fs.FilePath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The embedded store's file system: after a failed write, nothing more is written to the file, so H2 finds it at
 * the next start as a killed process would have left it. Failures come from {@link FullDiskH2Files} beneath it.
 */
class FailStopH2FilesTest {

    @TempDir
    Path data;

    @BeforeAll
    static void register() {
        FullDiskH2Files.register();
        FailStopH2Files.register();
    }

    @Test
    void afterAFailedWriteNoWriteTruncationOrSyncReachesTheFile() throws Exception {
        Path file = data.resolve("store.mv.db");
        try (FileChannel channel = FilePath.get("failstop:fulldisk:" + file).open("rw")) {
            channel.write(ascii("first"), 0);
            FullDiskH2Files.failNextWrite();
            FullDiskH2Files.releaseFailingWrite();
            assertThatThrownBy(() -> channel.write(ascii("fails"), 5)).isInstanceOf(IOException.class);

            assertThatThrownBy(() -> channel.write(ascii("later"), 0))
                    .isInstanceOf(IOException.class).hasMessageContaining("after a failed one");
            assertThatThrownBy(() -> channel.truncate(1)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> channel.force(true)).isInstanceOf(IOException.class);
            assertThat(FullDiskH2Files.writesSinceFailure()).isZero();
        }
        assertThat(Files.readString(file)).isEqualTo("first");
    }

    /**
     * What went wrong without it: H2 writes each chunk on a thread of its own, and the chunk queued behind one whose
     * write failed was still written (and the file's header pointed at it), a chunk that needs the failed one.
     */
    @Test
    void h2WritesNoChunkAfterTheOneThatFailed() throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(
                "jdbc:h2:failstop:fulldisk:" + data.resolve("store") + ";DB_CLOSE_DELAY=-1", "sa", ""));
        jdbc.execute("CREATE TABLE answered (event_id VARCHAR(64) PRIMARY KEY)");
        jdbc.execute("CHECKPOINT SYNC");
        FullDiskH2Files.failNextWrite();
        CompletableFuture<Void> queuedBehind;
        try {
            jdbc.update("INSERT INTO answered VALUES ('ev-1')");
            // H2's background writer (every 500 ms by default) takes the insert and starts writing its chunk.
            assertThat(FullDiskH2Files.awaitFailingWrite(Duration.ofSeconds(10))).isTrue();
            jdbc.update("INSERT INTO answered VALUES ('ev-2')");
            // A checkpoint now makes the next chunk and queues its write behind the held one; it waits for both.
            queuedBehind = CompletableFuture.runAsync(() -> jdbc.execute("CHECKPOINT"));
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !queuedBehind.isDone());
        } finally {
            FullDiskH2Files.releaseFailingWrite();
        }

        assertThat(queuedBehind).failsWithin(10, TimeUnit.SECONDS);
        assertThat(FullDiskH2Files.writesSinceFailure()).as("writes of the store's file after the failed one")
                .isZero();
    }

    /**
     * An embedded store is opened on it, and with the settings its safety rests on when its URL lacks them (the first
     * release's settings file repeated a URL without MAX_COMPACT_TIME): a URL's own value of one is kept.
     */
    @Test
    void theBridgesPoolOpensAnEmbeddedStoreOnItSafelyAndLeavesOtherStoresAlone() {
        String safety = ";DB_CLOSE_ON_EXIT=FALSE;MAX_COMPACT_TIME=0";
        String firstRelease = "jdbc:h2:file:/var/lib/bridge/bridge;DB_CLOSE_ON_EXIT=FALSE;COMPRESS=TRUE;"
                + "RETENTION_TIME=2000";
        assertThat(pooled(firstRelease)).isEqualTo(firstRelease.replace("h2:file:", "h2:failstop:")
                + ";MAX_COMPACT_TIME=0");
        assertThat(pooled("jdbc:h2:./data/bridge")).isEqualTo("jdbc:h2:failstop:./data/bridge" + safety);
        assertThat(pooled("jdbc:h2:failstop:./data/bridge" + safety))
                .isEqualTo("jdbc:h2:failstop:./data/bridge" + safety);
        assertThat(pooled("jdbc:h2:file:./data/bridge;max_compact_time=200"))
                .isEqualTo("jdbc:h2:failstop:./data/bridge;max_compact_time=200;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(pooled("jdbc:h2:mem:bridge")).isEqualTo("jdbc:h2:mem:bridge");
        assertThat(pooled("jdbc:h2:tcp://db:9092/bridge")).isEqualTo("jdbc:h2:tcp://db:9092/bridge");
        assertThat(pooled("jdbc:postgresql://127.0.0.1/test")).isEqualTo("jdbc:postgresql://127.0.0.1/test");
    }

    private static String pooled(String url) {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(url);
            StoreKindConfig.embeddedStoreFailStop().postProcessAfterInitialization(pool, "dataSource");
            return pool.getJdbcUrl();
        }
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }
}
