package com.jodoerp.bridge.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The machine's real PostgreSQL (127.0.0.1:5432, trust auth). A test that needs it is skipped when it is
 * unreachable, except under CI (CI=true), where an unreachable server is a failure.
 */
public final class RealDatabases {

    public static final String POSTGRES_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String POSTGRES_USER = "postgres";

    private RealDatabases() {
    }

    /** Creates an empty PostgreSQL database for one test class and returns its name. */
    public static String createPostgresDatabase() {
        String name = "bridge_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        postgresAdmin("CREATE DATABASE " + name);
        return name;
    }

    public static String postgresUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:5432/" + database;
    }

    /** The settings that make this database the bridge's own store. */
    public static Map<String, String> postgresStore(String database) {
        return Map.of("spring.datasource.url", postgresUrl(database), "spring.datasource.username", POSTGRES_USER);
    }

    public static void dropPostgresDatabase(String name) {
        postgresAdmin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
        postgresAdmin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
        postgresAdmin("DROP DATABASE IF EXISTS " + name);
    }

    /** Connections to PostgreSQL database {@code database} waiting for a lock, read through {@code reader}. */
    public static int postgresLockWaits(JdbcTemplate reader, String database) {
        return reader.queryForObject("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = ?"
                + " AND wait_event_type = 'Lock'", Integer.class, database);
    }

    /** Runs one statement as the PostgreSQL superuser on the {@code test} database. */
    public static void postgresAdmin(String sql) {
        try (Connection connection = connectPostgres(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL: " + sql + ": " + e.getMessage(), e);
        }
    }

    public static final String MARIADB_ADMIN_URL = "jdbc:mariadb://127.0.0.1:3306/test";

    /** Creates an empty MariaDB database and returns its name. */
    public static String createMariaDbDatabase() {
        String name = "erp_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        mariaDbAdmin("CREATE DATABASE " + name);
        return name;
    }

    public static String mariaDbUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:3306/" + database;
    }

    public static void dropMariaDbDatabase(String name) {
        mariaDbAdmin("DROP DATABASE IF EXISTS " + name);
    }

    private static void mariaDbAdmin(String sql) {
        Connection connection;
        try {
            connection = DriverManager.getConnection(MARIADB_ADMIN_URL, "root", "");
        } catch (SQLException unreachable) {
            requireUnlessCi("MariaDB at 127.0.0.1:3306", unreachable);
            throw new IllegalStateException(unreachable);
        }
        try (connection; Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB: " + sql + ": " + e.getMessage(), e);
        }
    }

    static Connection connectPostgres() throws SQLException {
        try {
            return DriverManager.getConnection(POSTGRES_ADMIN_URL, POSTGRES_USER, "");
        } catch (SQLException unreachable) {
            requireUnlessCi("PostgreSQL at 127.0.0.1:5432", unreachable);
            throw unreachable;
        }
    }

    static void requireUnlessCi(String server, SQLException cause) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(server + " must be running under CI: " + cause.getMessage(), cause);
        }
        Assumptions.abort(server + " is not reachable, skipping: " + cause.getMessage());
    }
}
