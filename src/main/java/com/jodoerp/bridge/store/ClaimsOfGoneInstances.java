package com.jodoerp.bridge.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.Properties;

import jakarta.annotation.PreDestroy;

import com.jodoerp.bridge.system.EverySecond;
import com.jodoerp.bridge.system.LogPace;
import com.jodoerp.bridge.system.Redaction;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Releases the claims of instances that are gone (killed mid-batch) instead of letting their work wait out its
 * leases (a delivery's is 5 minutes).
 * <ul>
 *   <li>On the embedded H2 store only one process can have the database open, so any claim found at start-up is a
 *       gone process's: all are released at once.</li>
 *   <li>On PostgreSQL, each instance holds, on a connection of its own, a session advisory lock named by its holder
 *       tag (the first 8 hex digits of its claim tokens, ClaimLeases). PostgreSQL ends a session whose process is
 *       gone, and its locks with it, so at start-up and every 10 seconds the claims of every holder whose lock no
 *       session holds are released. Behind a pooler that keeps server sessions (PgBouncer in transaction mode) a
 *       gone instance's lock may outlive it: its claims then wait out their leases, as they did without this.</li>
 * </ul>
 */
@Component
public class ClaimsOfGoneInstances {

    private static final Logger log = LoggerFactory.getLogger(ClaimsOfGoneInstances.class);
    /** The first key of the bridge's advisory locks ("JODO"), so that they never meet another program's. */
    private static final int LOCKS = 0x4A4F444F;
    private static final int CHECK_EVERY_SECONDS = 10;
    private static final String HOLDERS = """
            SELECT SUBSTRING(claim_token FROM 1 FOR 8) FROM inbox_event
             WHERE dispatch_state = 'PENDING' AND claim_token IS NOT NULL
            UNION SELECT SUBSTRING(claim_token FROM 1 FOR 8) FROM delivery
             WHERE state = 'PENDING' AND claim_token IS NOT NULL
            UNION SELECT SUBSTRING(claim_token FROM 1 FOR 8) FROM replay_job WHERE claim_token IS NOT NULL""";
    /**
     * The bridge's advisory locks held in this database, by any session: their second keys, which pg_locks shows as
     * an oid (unsigned) in objid, objsubid 2 marking a lock taken with two int4 keys. Read from pg_locks rather than
     * by trying each lock, which a session that holds it would be granted again: behind a pooler that hands one
     * server session to several clients, that session could be a live instance's.
     */
    private static final String HELD_LOCKS = """
            SELECT CAST(objid AS BIGINT) FROM pg_locks
             WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = CAST(? AS OID)
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""";

    private final JdbcTemplate jdbc;
    private final ClaimLeases leases;
    private final LogPace outages = new LogPace(Clock.systemUTC());
    private final DataSourceProperties database;
    private EverySecond checks;
    private Connection locks;
    private int ticks;

    // Flyway is asked for so that the tables exist before this runs; Camel starts only after, so no claim of this
    // instance exists before its lock is held.
    public ClaimsOfGoneInstances(JdbcTemplate jdbc, Flyway flyway, StoreKind store, ClaimLeases leases,
                                 DataSourceProperties database) {
        this.jdbc = jdbc;
        this.leases = leases;
        this.database = database;
        if (store.singleProcess()) {
            release("claim_token IS NOT NULL", "a previous run that did not finish");
        } else if (store == StoreKind.POSTGRESQL) {
            try {
                lockOwnHolder();
            } catch (SQLException e) {
                throw new IllegalStateException("the bridge's database (spring.datasource.url) refused the advisory"
                        + " lock that tells other instances this one is alive: " + e.getMessage(), e);
            }
            releaseGone();
            checks = EverySecond.inBackground("gone-instances", this::tick);
        }
    }

    /** Takes this instance's lock on a connection of its own, drawing another tag if a live instance has this one. */
    private void lockOwnHolder() throws SQLException {
        // As the pool logs in; a URL that carries its own user= and password= keeps them.
        Properties login = new Properties();
        if (database.determineUsername() != null) {
            login.setProperty("user", database.determineUsername());
        }
        if (database.determinePassword() != null) {
            login.setProperty("password", database.determinePassword());
        }
        login.setProperty("tcpKeepAlive", "true");
        login.setProperty("ApplicationName", "jodo-erp-bridge claims holder");
        locks = DriverManager.getConnection(database.determineUrl(), login);
        String holder = leases.holder();
        while (!tryLock(holder)) {
            holder = leases.redrawHolder();
        }
    }

    private void tick() {
        if (++ticks % CHECK_EVERY_SECONDS != 0) {
            return;
        }
        try {
            if (locks.isClosed() || !locks.isValid(5)) {
                // The session ended (a restarted database, a cut connection), and this instance's lock with it:
                // held again, under the same tag, so that its claims are not taken for a gone instance's.
                if (outages.due("lock")) {
                    log.warn("The connection holding this instance's advisory lock was lost; taking the lock again");
                }
                locks.close();
                lockOwnHolder();
            }
            releaseGone();
        } catch (SQLException | RuntimeException e) {
            // Every few seconds while the database is out of reach: told once a minute, as the work queues do.
            if (outages.due("look")) {
                log.warn("Could not look for claims of gone instances: {}", Redaction.summary(e, 300));
            }
        }
    }

    /** Releases the claims of every holder whose lock no session holds. */
    private void releaseGone() {
        Set<Long> alive = new HashSet<>(jdbc.queryForList(HELD_LOCKS, Long.class, LOCKS));
        for (String holder : jdbc.queryForList(HOLDERS, String.class)) {
            if (holder != null && holder.matches("[0-9a-f]{8}") && !holder.equals(leases.holder())
                    && !alive.contains(Long.parseLong(holder, 16))) {
                release("claim_token LIKE '" + holder + "%'", "instance " + holder + ", which is gone");
            }
        }
    }

    private boolean tryLock(String holder) throws SQLException {
        try (PreparedStatement call = locks.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            call.setInt(1, LOCKS);
            call.setInt(2, (int) Long.parseLong(holder, 16));
            try (ResultSet answer = call.executeQuery()) {
                return answer.next() && answer.getBoolean(1);
            }
        }
    }

    /**
     * Releases the claims of work still to do that {@code which} (a condition on claim_token, never from outside)
     * selects; work done no longer carries its claim.
     */
    private void release(String which, String whose) {
        int events = jdbc.update("UPDATE inbox_event SET claim_token = NULL, claimed_until = NULL"
                + " WHERE dispatch_state = 'PENDING' AND " + which);
        int deliveries = jdbc.update("UPDATE delivery SET claim_token = NULL, claimed_until = NULL"
                + " WHERE state = 'PENDING' AND " + which);
        int replays = jdbc.update("UPDATE replay_job SET claim_token = NULL, claimed_until = NULL WHERE " + which);
        if (events + deliveries + replays > 0) {
            log.info("Released {} event(s), {} delivery(ies) and {} bulk replay(s) claimed by {}", events, deliveries,
                    replays, whose);
        }
    }

    @PreDestroy
    void stop() throws SQLException {
        if (checks != null) {
            checks.stop();
        }
        if (locks != null) {
            locks.close();
        }
    }
}
