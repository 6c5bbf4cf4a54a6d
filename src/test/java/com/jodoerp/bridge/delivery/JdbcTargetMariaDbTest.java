package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.RealDatabases;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
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

    /** The target's pool opens its four connections (max-connections) in the background from the bridge's start. */
    @Override
    void awaitErpConnectionsOpen() {
        await().atMost(Duration.ofSeconds(30)).until(() -> new JdbcTemplate(counters).queryForObject(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()",
                Integer.class, database) >= 4);
    }

    /**
     * A bridge opens its connections to the ERP database as it starts, in the background, so that its first records
     * do not each wait for one; and closes them when it stops, once its writers are done: dropped with the process
     * instead, each is an "Aborted connection" in MariaDB's log at every restart, and a bridge stopped inside a
     * process, as here, left them open.
     */
    @Test
    void aBridgeOpensItsErpConnectionsAsItStartsAndClosesThemWhenItStops(@TempDir Path otherData) {
        String other = RealDatabases.createMariaDbDatabase();
        try {
            String url = RealDatabases.mariaDbUrl(other);
            ErpTargets.createSchema(new JdbcTemplate(new DriverManagerDataSource(url, "root", "")), "mysql");
            byte[] payment = Samples.bytes("direct.payment.added");
            try (BridgeInstance second = BridgeInstance.start(otherData, ErpTargets.soleTarget("jdbc", Map.of(
                    "url", url, "username", "root", "statements", "routes/examples/jdbc/mysql")))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> connectionsTo(other) == 4);
                assertThat(second.postWebhook(payment, null).statusCode()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(second.deliveryState(
                        Samples.eventId(payment), "erp")));
                assertThat(connectionsTo(other)).as("max-connections").isEqualTo(4);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> connectionsTo(other) == 0);
        } finally {
            RealDatabases.dropMariaDbDatabase(other);
        }
    }

    private int connectionsTo(String db) {
        return new JdbcTemplate(counters).queryForObject("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                + " WHERE DB = ? AND ID <> CONNECTION_ID()", Integer.class, db);
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
