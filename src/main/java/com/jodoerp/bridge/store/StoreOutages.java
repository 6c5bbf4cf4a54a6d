package com.jodoerp.bridge.store;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.jodoerp.bridge.system.Redaction;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * Telling a database that cannot be reached or written from a bug, and saying so once a minute, not once per request
 * or poll: an outage of the bridge's own database (a PostgreSQL restart) fails every webhook and every poll of the
 * work queues until it is back, and a line for each, with its stack trace, would bury what the operator needs.
 */
public final class StoreOutages {

    private static final long INTERVAL_MS = 60_000;

    private final Map<String, Long> lastSaid = new ConcurrentHashMap<>();

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

    /** Whether a line about {@code what} is due: true at most once a minute for each. */
    public boolean due(String what) {
        long now = System.currentTimeMillis();
        boolean[] due = {false};
        lastSaid.compute(what, (key, last) -> {
            due[0] = last == null || now - last >= INTERVAL_MS;
            return due[0] ? now : last;
        });
        return due[0];
    }
}
