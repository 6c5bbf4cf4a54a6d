package com.jodoerp.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.unit.DataSize;

/** Compaction of the embedded H2 file: what is still live is moved out of half-empty chunks, nothing is lost. */
class EmbeddedStoreCompactionTest {

    @TempDir
    Path dataDir;

    @Test
    void halfEmptyChunksAreCompactedUpToTheTargetOnceQuietAndEveryRowSurvivesARestart() {
        // The bridge's store options, except two: WRITE_DELAY=0 stops H2's own background housekeeping, so only the
        // compaction under test moves pages; RETENTION_TIME=0 lets it move a chunk as soon as it is written, where
        // the bridge's 2 s would have each pass below wait for the chunks to age first.
        String url = "jdbc:h2:file:" + dataDir.resolve("bridge")
                + ";COMPRESS=TRUE;RETENTION_TIME=0;WRITE_DELAY=0;DB_CLOSE_DELAY=-1";
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE event (id VARCHAR(36) PRIMARY KEY, body VARCHAR(4000))");
        List<String> ids = scatteredWrites(jdbc);
        int before = chunksFillRate(jdbc);
        assertThat(before).as("random-key churn leaves chunks half empty").isLessThan(60);

        EmbeddedStoreCompaction compaction = new EmbeddedStoreCompaction(dataSource, StoreKind.of(url),
                new StoreProperties(DataSize.ofMegabytes(16)));
        int busy = EmbeddedStoreCompaction.BUSY_FILL_PERCENT;
        int target = EmbeddedStoreCompaction.TARGET_FILL_PERCENT;
        for (int pass = 0; pass < 2; pass++) {
            // Rows changing between passes, as while webhooks come: the file is kept above the busy bound only.
            updateEach(jdbc, ids.subList(0, 500), "busy");
            compaction.compactOnce();
            jdbc.execute("CHECKPOINT");
        }
        assertThat(chunksFillRate(jdbc)).as("fill while rows change").isBetween(busy, target - 1);

        // Then quiet: passes as the bridge runs them, until the chunks reach the target. H2 counts what a pass freed
        // once a later version of the file is written: in the bridge its background writer writes one, here (where
        // WRITE_DELAY=0 stops that writer) a one-row update between passes does.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            updateEach(jdbc, ids.subList(0, 1), "busy");
            compaction.compactOnce();
            jdbc.execute("CHECKPOINT");
            return chunksFillRate(jdbc) >= target;
        });
        jdbc.execute("SHUTDOWN");

        // Reopened, as after a restart: every row is there, in its last version.
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM event", Integer.class)).isEqualTo(ids.size());
        for (int i = 0; i < ids.size(); i += 97) {
            assertThat(jdbc.queryForObject("SELECT body FROM event WHERE id = ?", String.class, ids.get(i)))
                    .startsWith((i < 500 ? "busy " : "updated ") + ids.get(i));
        }
        jdbc.execute("SHUTDOWN");
    }

    /** Rows inserted and then updated in small random-key transactions, as a busy intake and dispatch do. */
    private static List<String> scatteredWrites(JdbcTemplate jdbc) {
        Random random = new Random(7);
        List<String> ids = new ArrayList<>();
        for (int batch = 0; batch < 100; batch++) {
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                rows.add(new Object[] {id, "received " + id + " " + random.nextLong()});
            }
            jdbc.batchUpdate("INSERT INTO event (id, body) VALUES (?, ?)", rows);
        }
        for (int batch = 0; batch < 100; batch++) {
            updateEach(jdbc, ids.subList(batch * 100, batch * 100 + 100), "updated");
        }
        return ids;
    }

    private static void updateEach(JdbcTemplate jdbc, List<String> ids, String prefix) {
        jdbc.batchUpdate("UPDATE event SET body = ? WHERE id = ?",
                ids.stream().map(id -> new Object[] {prefix + " " + id, id}).toList());
    }

    private static int chunksFillRate(JdbcTemplate jdbc) {
        return Integer.parseInt(jdbc.queryForObject("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                + " WHERE SETTING_NAME = 'info.CHUNKS_FILL_RATE'", String.class));
    }
}
