package com.jodoerp.bridge.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * Writes an H2 store out to its file and syncs it, so that whatever was committed before is on the disk once this
 * returns (or it throws): what lets the intake journal drop a file.
 *
 * <p>{@code CHECKPOINT SYNC} alone does not promise that. H2's background writer takes the store's changes and
 * writes them as a chunk on threads of its own; a checkpoint that comes meanwhile finds nothing left to write, syncs
 * the file without that chunk, and returns. Should the chunk's write then fail (a full disk) or the process die,
 * the commits in it are gone from the store although the checkpoint succeeded: measured, a journal deleted that way
 * lost webhooks answered 202 when the store ran out of room. So after a {@code CHECKPOINT} this waits for the writes
 * already under way, as H2 does before its own file operations ({@code MVStore.executeFilestoreOperation}), and only
 * then syncs the file.
 */
public final class EmbeddedStoreWrites {

    private EmbeddedStoreWrites() {
    }

    /** H2's database behind a connection of this process; null for H2 through a server, or another database. */
    static Database database(Connection connection) throws SQLException {
        if (connection.isWrapperFor(JdbcConnection.class)
                && connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local) {
            return local.getDatabase();
        }
        return null;
    }

    /** Everything committed before the call is in the store's file and synced, or this throws. */
    public static void writeOut(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            Database database = database(connection);
            if (database == null || !database.isPersistent()) {
                // Through a server, the server's own process writes the file; in memory there is none.
                sql.execute("CHECKPOINT SYNC");
                return;
            }
            // Commits the store: what is committed is written by this statement, or by a write already under way.
            sql.execute("CHECKPOINT");
            MVStore store = database.getStore().getMvStore();
            try {
                // Runs nothing itself: H2 runs it only once the chunks queued for writing before it are in the file.
                store.executeFilestoreOperation(() -> { });
                store.sync();
            } catch (MVStoreException writeFailed) {
                // H2 closed the store when the write failed: a statement now reports it the way the database does.
                sql.execute("CHECKPOINT");
                throw writeFailed;
            }
        }
    }
}
