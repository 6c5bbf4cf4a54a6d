package db.migration;

import java.util.List;

import com.jodoerp.bridge.store.StoreKind;
import com.jodoerp.bridge.store.StoreSpecificMigration;

/**
 * PostgreSQL only: dispatch and delivery update each row a few times (claimed, then its outcome), and every update
 * leaves a dead row version behind. Free room in each page lets PostgreSQL keep the claim updates heap-only (no new
 * index entries, pruned as pages are read), and vacuuming at 2 % of a table rather than the default 20 % reclaims
 * dead versions while the tables are large, so they do not grow with the history of updates. Other stores need
 * nothing here.
 */
public class V4__Vacuum_friendly_postgresql extends StoreSpecificMigration {

    public V4__Vacuum_friendly_postgresql() {
        super(StoreKind.POSTGRESQL::equals);
    }

    @Override
    protected List<String> statements() {
        return List.of(
                "ALTER TABLE inbox_event SET (fillfactor = 85,"
                        + " autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02)",
                "ALTER TABLE delivery SET (fillfactor = 70,"
                        + " autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02)");
    }
}
