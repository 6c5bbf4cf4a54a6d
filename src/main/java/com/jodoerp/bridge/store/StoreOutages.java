package com.jodoerp.bridge.store;

import java.sql.SQLException;

import com.jodoerp.bridge.system.Redaction;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * Telling a database that cannot be reached or written from a bug: an outage of the bridge's own database (a
 * PostgreSQL restart) fails every webhook and every poll of the work queues until it is back, and is told in the
 * database's words, once a minute (LogPace), where a bug is logged whole.
 */
public final class StoreOutages {

    private StoreOutages() {
    }

    /** Whether the failure came from the database (JDBC, Spring's data access or transactions), at any depth. */
    public static boolean isOutage(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof DataAccessException || e instanceof TransactionException || e instanceof SQLException) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause, as its class and message: what the database or driver said. */
    public static String rootMessage(Throwable error) {
        if (error == null) {
            return "unknown";
        }
        Throwable root = Redaction.rootCause(error);
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
