package com.jodoerp.bridge.delivery;

import com.jodoerp.bridge.support.RealDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The jdbc target on the machine's real MariaDB, with the MariaDB/MySQL example statements. */
class JdbcTargetMariaDbTest extends JdbcTargetContract {

    private String database;

    @BeforeAll
    void startBridge() throws Exception {
        database = RealDatabases.createMariaDbDatabase();
        start(RealDatabases.mariaDbUrl(database), "root", "mysql");
    }

    /** MariaDB counts COMMIT statements (Com_commit); only this test's bridge commits into it meanwhile. */
    @Override
    long erpCommits() {
        return globalStatus("Com_commit");
    }

    @Override
    long erpServerPrepares() {
        return globalStatus("Com_stmt_prepare");
    }

    @Override
    long erpDeletes() {
        return globalStatus("Com_delete");
    }

    private long globalStatus(String counter) {
        return erp.queryForObject("SHOW GLOBAL STATUS LIKE '" + counter + "'", (row, i) -> row.getLong(2));
    }

    @AfterAll
    void dropDatabase() {
        if (database != null) {
            RealDatabases.dropMariaDbDatabase(database);
        }
    }
}
