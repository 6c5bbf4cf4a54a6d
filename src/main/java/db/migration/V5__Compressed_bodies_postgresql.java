package db.migration;

import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * PostgreSQL only: an event's row carries its raw body and its canonical record, about 1 KB each, and PostgreSQL
 * compresses or moves a value out of the row only once the row passes 2 KB. Kept inline, both were copied into a
 * new row version by each of dispatch's updates (claimed, then routed), and every such copy stayed dead until a
 * vacuum: measured, 3.97 GB for a million events, three quarters of it this table. With a 128-byte target the
 * two values are compressed and kept beside the table, in its TOAST relation, where an update that does not change
 * them leaves them be; the row itself shrinks to its few short columns. Rows written before this keep their layout
 * until they are next written. Other stores need nothing here.
 */
public class V5__Compressed_bodies_postgresql extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        if (!"PostgreSQL".equals(context.getConnection().getMetaData().getDatabaseProductName())) {
            return;
        }
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("ALTER TABLE inbox_event SET (toast_tuple_target = 128)");
        }
    }
}
