package com.jodoerp.bridge.reconciliation;

import com.jodoerp.bridge.support.RealDatabases;
import org.junit.jupiter.api.AfterEach;

/** Reconciliation with the machine's real PostgreSQL as the ERP. */
class ReconciliationPostgresTest extends ReconciliationContract {

    private String database;

    @Override
    String[] erpDatabase() {
        database = RealDatabases.createPostgresDatabase();
        return new String[] {RealDatabases.postgresUrl(database), RealDatabases.POSTGRES_USER, "postgresql"};
    }

    @AfterEach
    void dropDatabase() {
        if (database != null) {
            RealDatabases.dropPostgresDatabase(database);
        }
    }
}
