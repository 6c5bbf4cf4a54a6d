package com.jodoerp.bridge.store;

import java.sql.Connection;

import javax.sql.DataSource;

import com.jodoerp.bridge.system.EverySecond;
import com.jodoerp.bridge.system.StopsWhenDestroyed;
import org.h2.engine.Database;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps the embedded H2 file near its live data while webhooks keep coming.
 *
 * <p>H2 never overwrites a page: every change writes a new copy in a new chunk at the file's end, and a chunk's
 * space is reused only once nothing live is left in it. Each stored event inserts into five indexes keyed by random
 * ids (event ids, student ids), so every second a busy bridge rewrites pages scattered over the whole file and
 * most chunks stay half full. H2's own housekeeping, while it sees writes, only rewrites chunks emptier than the
 * file's average, so the average never rises: measured, 2.2 GB for a million events whose live data is 1 GB.
 * Every second this copies what is still live out of the emptiest chunks, a bounded amount at a time, until the
 * chunks are {@value #TARGET_FILL_PERCENT}% full; H2 then reuses the freed chunks for new writes.
 *
 * <p>Only while the store is quiet, though. Copying pages is not free: each is read back, decompressed, compressed
 * again and written, and the garbage of it all collected. Measured side by side, the pipeline at 450 events/s spent
 * a quarter of its CPU per event on it (2.46-2.51 ms against 1.85-1.89 without), and it did not keep up anyway:
 * a million events sent flat out still swelled the file to 2.3 GB before it shrank to 1.4 GB once quiet. So while
 * rows change faster than a trickle ({@value #BUSY_ROW_CHANGES} in a second, some 25 events a second), a pass
 * only lifts chunks that fall below {@value #BUSY_FILL_PERCENT}% full, a bound H2's own housekeeping rarely lets
 * them reach; the file is brought to its target in the quiet after a burst, on CPU the webhooks do not need.
 *
 * <p>PostgreSQL and MariaDB stores have their own vacuum; there this does nothing.
 */
@Component
public class EmbeddedStoreCompaction implements StopsWhenDestroyed {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStoreCompaction.class);
    /** Below this share of live bytes in the file's chunks, compaction copies. */
    static final int TARGET_FILL_PERCENT = 80;
    /** Below this share of live bytes, compaction copies even while the store is busy. */
    static final int BUSY_FILL_PERCENT = 40;
    /** Row changes (inserts, updates, deletes) between two passes that make the store busy. */
    static final long BUSY_ROW_CHANGES = 300;

    private final DataSource dataSource;
    private final boolean enabled;
    /** Live bytes copied per pass (per second) at most (bridge.store.compaction-per-second). */
    private final int bytesPerPass;
    private EverySecond passes;
    private volatile boolean running;
    /** H2's count of row changes at the last pass. */
    private long rowChanges;

    public EmbeddedStoreCompaction(DataSource dataSource, StoreKind store, StoreProperties properties) {
        this.dataSource = dataSource;
        this.bytesPerPass = (int) properties.compactionPerSecond().toBytes();
        this.enabled = store == StoreKind.EMBEDDED_H2 && bytesPerPass > 0;
    }

    /**
     * One pass: copies live pages out of the emptiest chunks if the file is below its target fill, or, while rows
     * keep changing, below the busy bound. Compaction changes no rows, so its own copying never counts as busy.
     */
    void compactOnce() {
        try (Connection connection = dataSource.getConnection()) {
            Database database = EmbeddedStoreWrites.database(connection);
            long changes = database.getModificationDataId();
            boolean busy = changes - rowChanges > BUSY_ROW_CHANGES;
            rowChanges = changes;
            MVStore store = database.getStore().getMvStore();
            store.compact(busy ? BUSY_FILL_PERCENT : TARGET_FILL_PERCENT, bytesPerPass);
        } catch (Exception failed) {
            // The store failing is reported by the intake and health; a pass missed here is simply retried.
            log.debug("Embedded store compaction pass skipped: {}", failed.toString());
        }
    }

    @Override
    public void start() {
        running = true;
        if (!enabled) {
            return;
        }
        passes = EverySecond.inBackground("store-compaction", this::compactOnce);
    }

    @Override
    public void stop() {
        running = false;
        if (passes == null) {
            return;
        }
        passes.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
