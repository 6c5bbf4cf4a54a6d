package com.jodoerp.bridge.delivery;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.jodoerp.bridge.support.RealDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The jdbc target on the machine's real MariaDB, with the MariaDB/MySQL example statements. */
class JdbcTargetMariaDbTest extends JdbcTargetContract {

    private String database;
    /** One connection for reading the server's counters: each new connection runs a SET of its own, counted too. */
    private SingleConnectionDataSource counters;

    @BeforeAll
    void startBridge() throws Exception {
        database = RealDatabases.createMariaDbDatabase();
        start(RealDatabases.mariaDbUrl(database), "root", "mysql");
        counters = new SingleConnectionDataSource(RealDatabases.mariaDbUrl(database), "root", "", true);
    }

    /** MariaDB's server status counters; only this test's bridge writes into the server meanwhile. */
    @Override
    long erpCount(ErpCounter counter) {
        String name = switch (counter) {
            case COMMITS -> "Com_commit";
            case SERVER_PREPARES -> "Com_stmt_prepare";
            case DELETES -> "Com_delete";
            case SET_STATEMENTS -> "Com_set_option";
        };
        return new JdbcTemplate(counters).queryForObject("SHOW GLOBAL STATUS LIKE '" + name + "'",
                (row, i) -> row.getLong(2));
    }

    /**
     * Statements of this test's database running for a second or more: here, waiting on a lock. InnoDB's own lock
     * tables (INNODB_TRX, INNODB_LOCK_WAITS) were seen to miss a batch's statements waiting so.
     */
    @Override
    int erpLockWaits() {
        return new JdbcTemplate(counters).queryForObject("""
                SELECT COUNT(*) FROM information_schema.PROCESSLIST
                 WHERE DB = ? AND COMMAND <> 'Sleep' AND TIME >= 1 AND ID <> CONNECTION_ID()""", Integer.class,
                database);
    }

    /** The target's pool opens its four connections (max-connections) in the background after its first use. */
    @Override
    void awaitErpConnectionsOpen() {
        await().atMost(Duration.ofSeconds(30)).until(() -> new JdbcTemplate(counters).queryForObject(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()",
                Integer.class, database) >= 4);
    }

    @AfterAll
    void dropDatabase() {
        if (counters != null) {
            counters.destroy();
        }
        if (database != null) {
            RealDatabases.dropMariaDbDatabase(database);
        }
    }
}
