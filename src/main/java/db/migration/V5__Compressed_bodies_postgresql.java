package db.migration;

import java.util.List;

import com.jodoerp.bridge.store.StoreKind;
import com.jodoerp.bridge.store.StoreSpecificMigration;

/**
 * PostgreSQL only: an event's row carries its raw body and its canonical record, about 1 KB each, and PostgreSQL
 * compresses or moves a value out of the row only once the row passes 2 KB. Kept inline, both were copied into a
 * new row version by each of dispatch's updates (claimed, then routed), and every such copy stayed dead until a
 * vacuum: measured, 3.97 GB for a million events, three quarters of it this table. With a 128-byte target the
 * two values are compressed and kept beside the table, in its TOAST relation, where an update that does not change
 * them leaves them be; the row itself shrinks to its few short columns. Rows written before this keep their layout
 * until they are next written. Other stores need nothing here.
 */
public class V5__Compressed_bodies_postgresql extends StoreSpecificMigration {

    public V5__Compressed_bodies_postgresql() {
        super(StoreKind.POSTGRESQL::equals);
    }

    @Override
    protected List<String> statements() {
        return List.of("ALTER TABLE inbox_event SET (toast_tuple_target = 128)");
    }
}
