package com.jodoerp.bridge.delivery;

import com.jodoerp.bridge.support.RealDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The jdbc target on the machine's real PostgreSQL, with the PostgreSQL example statements. */
class JdbcTargetPostgresTest extends JdbcTargetContract {

    private String database;

    @BeforeAll
    void startBridge() throws Exception {
        database = RealDatabases.createPostgresDatabase();
        start(RealDatabases.postgresUrl(database), RealDatabases.POSTGRES_USER, "postgresql");
    }

    @Override
    int erpLockWaits() {
        return RealDatabases.postgresLockWaits(erp, database);
    }

    @AfterAll
    void dropDatabase() {
        if (database != null) {
            RealDatabases.dropPostgresDatabase(database);
        }
    }
}
