package com.jodoerp.bridge.reconciliation;

import java.util.Map;

import com.jodoerp.bridge.support.RealDatabases;
import org.junit.jupiter.api.AfterEach;

/**
 * Reconciliation with the machine's real PostgreSQL as the ERP, and as the bridge's own store (in a database of its
 * own): the report reads the day's deliveries and records the way each kind of store reads them best.
 */
class ReconciliationPostgresTest extends ReconciliationContract {

    private String database;
    private String store;

    @Override
    String[] erpDatabase() {
        database = RealDatabases.createPostgresDatabase();
        return new String[] {RealDatabases.postgresUrl(database), RealDatabases.POSTGRES_USER, "postgresql"};
    }

    @Override
    Map<String, String> bridgeStore() {
        store = RealDatabases.createPostgresDatabase();
        return RealDatabases.postgresStore(store);
    }

    @AfterEach
    void dropDatabases() {
        for (String name : new String[] {database, store}) {
            if (name != null) {
                RealDatabases.dropPostgresDatabase(name);
            }
        }
    }
}
