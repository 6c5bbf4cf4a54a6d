package com.jodoerp.bridge.store;

import java.sql.Statement;
import java.util.List;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A schema migration that tunes PostgreSQL's storage and is a no-op on the other stores, which have no such
 * settings. Kept out of {@code db.migration} so Flyway does not take it for a migration of its own.
 */
public abstract class PostgresqlOnlyMigration extends BaseJavaMigration {

    /** The statements to run, in order, on PostgreSQL. */
    protected abstract List<String> statements();

    @Override
    public final void migrate(Context context) throws Exception {
        if (StoreKind.of(context.getConnection().getMetaData().getURL()) != StoreKind.POSTGRESQL) {
            return;
        }
        try (Statement statement = context.getConnection().createStatement()) {
            for (String sql : statements()) {
                statement.execute(sql);
            }
        }
    }
}
