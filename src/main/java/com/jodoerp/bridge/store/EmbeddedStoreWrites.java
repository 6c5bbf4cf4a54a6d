package com.jodoerp.bridge.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an H2 store out to its file and syncs it, so that whatever was committed before is on the disk once this
 * returns (or it throws): what lets the intake journal drop a file.
 *
 * <p>{@code CHECKPOINT SYNC} alone does not promise that. H2's background writer takes the store's changes and
 * writes them as a chunk on threads of its own; a checkpoint that comes meanwhile finds nothing left to write, syncs
 * the file without that chunk, and returns. Should the chunk's write then fail (a full disk) or the process die,
 * the commits in it are gone from the store although the checkpoint succeeded: measured, a journal deleted that way
 * lost webhooks answered 202 when the store ran out of room. So between its two statements this waits for the
 * writes already under way, which H2 offers its own file operations ({@code MVStore.executeFilestoreOperation}).
 */
public final class EmbeddedStoreWrites {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStoreWrites.class);

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
            // Commits the store: what is committed is written by this statement, or by a write already under way.
            sql.execute("CHECKPOINT");
            awaitWritesUnderWay(connection);
            // Syncs the file; when one of those writes failed, fails as every statement on the closed store does.
            sql.execute("CHECKPOINT SYNC");
        }
    }

    private static void awaitWritesUnderWay(Connection connection) throws SQLException {
        Database database = database(connection);
        if (database == null || !database.isPersistent()) {
            // Through a server, the server's own process writes the file; in memory there is none.
            return;
        }
        MVStore store = database.getStore().getMvStore();
        try {
            // Runs nothing itself: H2 runs it only once the chunks queued for writing before it are in the file.
            store.executeFilestoreOperation(() -> { });
        } catch (MVStoreException writeFailed) {
            // H2 has closed the store (a write failed); the next statement reports that the way the database does.
            log.debug("The embedded store closed while its writes were awaited: {}", writeFailed.toString());
        }
    }
}
