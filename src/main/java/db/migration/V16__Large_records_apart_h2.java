package db.migration;

import java.util.List;

import com.jodoerp.bridge.store.StoreKind;
import com.jodoerp.bridge.store.StoreSpecificMigration;

/**
 * H2 only: the canonical record, as V13 did for the raw body. H2 took V2's {@code TEXT} for CHARACTER VARYING, so a
 * record lived in its row whatever its size, and a payment's free-text notes put all of a large webhook in it: each
 * read of the row (a delivery's claim joins it) decoded the whole record, and each page holding such rows was
 * rewritten whole. 300 webhooks of 900 KB made every delivery batch decode 180 MB of records to claim them, and the
 * bridge spent its time collecting garbage. As a CLOB, a record up to V10's 64 KB stays in its row as before (Jodo's
 * make about 1.2 KB), and a larger one goes once into H2's LOB maps, the row keeping a reference. PostgreSQL keeps
 * large values apart already (TOAST).
 */
public class V16__Large_records_apart_h2 extends StoreSpecificMigration {

    public V16__Large_records_apart_h2() {
        super(StoreKind::h2);
    }

    @Override
    protected List<String> statements() {
        return List.of("ALTER TABLE inbox_event ALTER COLUMN canonical_record SET DATA TYPE CLOB");
    }
}
