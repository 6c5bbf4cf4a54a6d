package com.jodoerp.bridge.store;

import java.sql.Statement;
import java.util.List;
import java.util.function.Predicate;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A schema migration that tunes one kind of store's own storage settings and is a no-op on the others, which have
 * no such settings. Kept out of {@code db.migration} so Flyway does not take it for a migration of its own.
 */
public abstract class StoreSpecificMigration extends BaseJavaMigration {

    /** Whether a store gets the statements. */
    private final Predicate<StoreKind> appliesTo;

    protected StoreSpecificMigration(Predicate<StoreKind> appliesTo) {
        this.appliesTo = appliesTo;
    }

    /** The statements to run, in order, on the stores it applies to. */
    protected abstract List<String> statements();

    @Override
    public final void migrate(Context context) throws Exception {
        if (!appliesTo.test(StoreKind.of(context.getConnection().getMetaData().getURL()))) {
            return;
        }
        try (Statement statement = context.getConnection().createStatement()) {
            for (String sql : statements()) {
                statement.execute(sql);
            }
        }
    }
}
