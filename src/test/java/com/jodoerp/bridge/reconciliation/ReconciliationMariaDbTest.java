package com.jodoerp.bridge.reconciliation;

import com.jodoerp.bridge.support.RealDatabases;
import org.junit.jupiter.api.AfterEach;

/** Reconciliation with the machine's real MariaDB as the ERP. */
class ReconciliationMariaDbTest extends ReconciliationContract {

    private String database;

    @Override
    String[] erpDatabase() {
        database = RealDatabases.createMariaDbDatabase();
        return new String[] {RealDatabases.mariaDbUrl(database), "root", "mysql"};
    }

    @AfterEach
    void dropDatabase() {
        if (database != null) {
            RealDatabases.dropMariaDbDatabase(database);
        }
    }
}
