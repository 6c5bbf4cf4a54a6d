package com.jodoerp.bridge.store;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * On the embedded H2 store only one process can have the database open, so any claim found at start-up
 * belongs to a process that is gone (killed mid-batch): it is released at once instead of waiting out its
 * lease. On a shared database (PostgreSQL) claims may belong to live instances, and only their lease frees them.
 */
@Component
public class EmbeddedClaimRelease {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedClaimRelease.class);

    // Flyway is asked for so that the tables exist before this runs; Camel starts only after.
    public EmbeddedClaimRelease(JdbcTemplate jdbc, Flyway flyway, StoreKind store) {
        if (!store.singleProcess()) {
            return;
        }
        int events = jdbc.update("UPDATE inbox_event SET claim_token = NULL, claimed_until = NULL"
                + " WHERE claim_token IS NOT NULL");
        int deliveries = jdbc.update("UPDATE delivery SET claim_token = NULL, claimed_until = NULL"
                + " WHERE claim_token IS NOT NULL");
        int replays = jdbc.update("UPDATE replay_job SET claim_token = NULL, claimed_until = NULL"
                + " WHERE claim_token IS NOT NULL");
        if (events + deliveries + replays > 0) {
            log.info("Released {} event(s), {} delivery(ies) and {} bulk replay(s) claimed by a previous run that did"
                    + " not finish", events, deliveries, replays);
        }
    }
}
