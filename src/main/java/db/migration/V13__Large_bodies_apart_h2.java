package db.migration;

import java.util.List;

import com.jodoerp.bridge.store.StoreKind;
import com.jodoerp.bridge.store.StoreSpecificMigration;

/**
 * H2 only: a raw body kept in its row (VARBINARY) is copied into a new page each time any column of the row changes,
 * and an event's row changes several times (claimed, routed, claims renewed). With bodies near the 1 MB limit, H2's
 * page cache and the buffers it writes its file from held tens of those megabyte pages at once: 40 to 70 such
 * webhooks in a row stopped the bridge (out of memory, -Xmx192m) and, from its journal, again at the next start.
 * As a BLOB, a body up to V10's 64 KB stays in its row as before (Jodo's webhooks are a few KB), and a larger one
 * goes once into H2's LOB maps, the row keeping a reference that updates copy instead. PostgreSQL keeps large values
 * apart already (V5). H2 converts the column in one statement: 150,000 of Jodo's webhooks took 13 s within the
 * shipped heap, but a store holding hundreds of bodies near the limit needs one start with a larger heap (README).
 */
public class V13__Large_bodies_apart_h2 extends StoreSpecificMigration {

    public V13__Large_bodies_apart_h2() {
        super(StoreKind::h2);
    }

    @Override
    protected List<String> statements() {
        return List.of("ALTER TABLE inbox_event ALTER COLUMN raw_body SET DATA TYPE BLOB");
    }
}
