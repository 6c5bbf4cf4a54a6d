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
        return erp.queryForObject("SHOW GLOBAL STATUS LIKE 'Com_commit'", (row, i) -> row.getLong(2));
    }

    @AfterAll
    void dropDatabase() {
        if (database != null) {
            RealDatabases.dropMariaDbDatabase(database);
        }
    }
}
