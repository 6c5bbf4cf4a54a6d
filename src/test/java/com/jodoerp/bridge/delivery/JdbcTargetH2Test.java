package com.jodoerp.bridge.delivery;

import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;

/** The jdbc target on H2 in MySQL mode, with the MariaDB/MySQL example statements. */
class JdbcTargetH2Test extends JdbcTargetContract {

    @BeforeAll
    void startBridge() throws Exception {
        start("jdbc:h2:mem:erp_" + UUID.randomUUID().toString().replace("-", "")
                + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "mysql");
    }
}
