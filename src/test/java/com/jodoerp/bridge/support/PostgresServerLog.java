package com.jodoerp.bridge.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What the machine's PostgreSQL writes to its own log from the moment a test asks, read through the server as its
 * superuser: the file named by {@code pg_current_logfile()} when the server collects its log, else the one Debian's
 * {@code pg_ctlcluster} sends it to ({@code /var/log/postgresql/postgresql-<cluster>.log}).
 */
public final class PostgresServerLog {

    private final String file;
    private final long start;

    private PostgresServerLog(String file, long start) {
        this.file = file;
        this.start = start;
    }

    public static PostgresServerLog fromNow() {
        try (Connection connection = RealDatabases.connectPostgres()) {
            String file = text(connection, "SELECT pg_current_logfile()");
            if (file == null) {
                file = "/var/log/postgresql/postgresql-" + text(connection, "SHOW cluster_name").replace('/', '-')
                        + ".log";
            }
            Long size = size(connection, file);
            if (size == null) {
                // Skips the test, or under CI fails it: never reads as "nothing logged".
                RealDatabases.requireUnlessCi("PostgreSQL's log", new SQLException("no log file at " + file));
            }
            return new PostgresServerLog(file, size);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL's log: " + e.getMessage(), e);
        }
    }

    /** Everything the server has written to its log since {@link #fromNow()}. */
    public String sinceStart() {
        try (Connection connection = RealDatabases.connectPostgres();
                PreparedStatement read = connection.prepareStatement("SELECT pg_read_file(?, ?, ?)")) {
            read.setString(1, file);
            read.setLong(2, start);
            read.setLong(3, size(connection, file) - start);
            try (ResultSet text = read.executeQuery()) {
                text.next();
                return text.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL's log " + file + ": " + e.getMessage(), e);
        }
    }

    private static Long size(Connection connection, String file) throws SQLException {
        try (PreparedStatement stat = connection.prepareStatement("SELECT (pg_stat_file(?, true)).size")) {
            stat.setString(1, file);
            try (ResultSet size = stat.executeQuery()) {
                size.next();
                long bytes = size.getLong(1);
                return size.wasNull() ? null : bytes;
            }
        }
    }

    private static String text(Connection connection, String sql) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql); ResultSet row = query.executeQuery()) {
            row.next();
            return row.getString(1);
        }
    }
}
