package com.jodoerp.bridge.store;

import java.sql.SQLException;

import com.jodoerp.bridge.system.JdbcUrls;
import com.jodoerp.bridge.system.Redaction;
import org.flywaydb.core.api.FlywayException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

/**
 * Start-up stopped because the bridge's own database could not be used, reported by what the operator can change (the
 * URL, the login, the database, the other process holding the data folder) instead of as a stack trace of the first
 * connection's beans, in which the one line that matters hides and H2's advice ("use the server mode") misleads.
 */
public class StoreRefusals implements FailureAnalyzer {

    private static final String URL_SETTING = "spring.datasource.url (BRIDGE_DB_URL)";
    // H2: "Database may be already in use": another process has the file open.
    private static final String H2_LOCKED = "90020";
    // H2: "File corrupted": no complete version of the file could be found to open.
    private static final String H2_DAMAGED = "90030";
    private static final String PG_NO_DATABASE = "3D000";

    private final Environment environment;

    public StoreRefusals(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        SQLException sql = cause(failure, SQLException.class);
        // Without an environment (start-up stopped before it was read) there is no store to speak of.
        if (environment == null) {
            return null;
        }
        String url = environment.getProperty("spring.datasource.url", "");
        String where = JdbcUrls.shown(url);
        // A URL that is no JDBC URL at all ("postgres://...") fails in the connection pool's set-up, before any SQL.
        boolean storeFailed = sql != null || cause(failure, FlywayException.class) != null
                || cause(failure, IllegalArgumentException.class) != null && !url.startsWith("jdbc:");
        if (!storeFailed) {
            return null;
        }
        if (StoreKind.of(url) == StoreKind.OTHER) {
            return new FailureAnalysis(URL_SETTING + ": '" + where + "' is not a database the bridge can keep its own"
                    + " state in: it takes PostgreSQL (jdbc:postgresql://host:5432/bridge) or H2 (the embedded default,"
                    + " without BRIDGE_DB_URL). A MariaDB or MySQL ERP database is a target (transport: jdbc), not the"
                    + " bridge's store.", "Correct BRIDGE_DB_URL, or spring.datasource.url in config/application.yaml,"
                    + " and start the bridge again.", failure);
        }
        if (sql == null) {
            return null;
        }
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        String reason = Redaction.mask(String.valueOf(sql.getMessage())).replaceAll("\\s+", " ").trim();
        if (state.equals(H2_LOCKED)) {
            return new FailureAnalysis("The embedded store " + where + " is open in another process: only one"
                    + " process at a time can use a data folder. Is another bridge running on it (the service, or one"
                    + " started by hand)?", "Stop the other bridge, or give this one a data folder of its own"
                    + " (bridge.data-dir, BRIDGE_DATA_DIR), and start the bridge again.", failure);
        }
        if (state.equals(H2_DAMAGED) && StoreKind.of(url) == StoreKind.EMBEDDED_H2) {
            String file = StoreKind.h2Name(where) + ".mv.db";
            String journal = environment.getProperty("bridge.data-path", ".") + "/intake-journal";
            // H2's own words name its file system and advise its recovery tool; the advice below says what to do.
            return new FailureAnalysis("The embedded store " + where + " cannot be opened: its file is damaged,"
                    + " H2 found no complete version of " + file + " to open. The webhooks answered since it was last"
                    + " written whole are kept in the intake journal (" + journal + ").", "Restore " + file
                    + " from a backup, or move it aside to start with an empty store (H2's org.h2.tools.Recover reads"
                    + " what it can out of the damaged file; the events stored before are not in an empty store)."
                    + " Leave the intake journal where it is: its webhooks are stored at the next start. Then start"
                    + " the bridge again.", failure);
        }
        if (state.startsWith("08")) {
            return new FailureAnalysis("The bridge's own database at " + where + " could not be reached: " + reason,
                    "Start the database, or correct " + URL_SETTING + ", and start the bridge again.", failure);
        }
        if (state.startsWith("28")) {
            return new FailureAnalysis("The bridge's own database at " + where + " refused the bridge's login: "
                    + reason, "Correct BRIDGE_DB_USER and BRIDGE_DB_PASSWORD (spring.datasource.username and"
                    + " password), or the database's grants, and start the bridge again.", failure);
        }
        if (state.equals(PG_NO_DATABASE)) {
            return new FailureAnalysis("The bridge's own database at " + where + " does not exist: " + reason,
                    "Create it (CREATE DATABASE, owned by the bridge's user; the bridge creates its tables), or"
                    + " correct the database's name in " + URL_SETTING + ", and start the bridge again.", failure);
        }
        return null;
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        // At most 30 deep, so a cycle of causes cannot loop.
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 30; depth++, cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
