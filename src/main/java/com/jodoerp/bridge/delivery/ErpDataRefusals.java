package com.jodoerp.bridge.delivery;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells an ERP database's refusal of a record's values from a failure that may pass. A value its table cannot hold
 * (SQLSTATE class 22: too long, out of range, not a number or a date) or a NOT NULL or CHECK rule the record breaks
 * fails every time the record is written again: retried, it would wait out the whole retry budget (two days by
 * default) before an operator saw it. It becomes a dead letter at once instead, to replay once the table or the
 * statements take it. Everything else is retried as before: a student row not written yet (a foreign key), a lock
 * wait or deadlock, a connection lost, a table or column missing while an integrator is still setting the ERP up.
 */
final class ErpDataRefusals {

    /** PostgreSQL's and H2's NOT NULL, PostgreSQL's CHECK, H2's CHECK. */
    private static final Set<String> RULES_BROKEN = Set.of("23502", "23514", "23513");
    /**
     * MariaDB's and MySQL's error numbers for the same, which they report under SQLSTATE 23000 (with duplicate keys
     * and foreign keys) or HY000: a column that cannot be null (1048), out of range (1264), truncated (1265, 1292),
     * an incorrect value (1366), too long (1406), a CHECK constraint (MariaDB 4025, MySQL 3819).
     */
    private static final Set<Integer> MARIADB_DATA_ERRORS = Set.of(1048, 1264, 1265, 1292, 1366, 1406, 3819, 4025);

    private ErpDataRefusals() {
    }

    /** {@code failure} as a permanent refusal when the database refused the record's values, else as it is. */
    static Throwable classify(Throwable failure) {
        SQLException refusal = dataError(failure);
        if (refusal == null) {
            return failure;
        }
        String where = failure instanceof RouteFileFailure named ? " in " + named.file() : "";
        return new PermanentDeliveryException("the ERP database refuses this record's values" + where + " (SQLSTATE "
                + refusal.getSQLState() + "), so trying again cannot help: change its table or the target's statements,"
                + " then replay it", refusal);
    }

    private static SQLException dataError(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 20; depth++, cause = cause.getCause()) {
            if (cause instanceof SQLException sql && isDataError(sql)) {
                return sql;
            }
        }
        return null;
    }

    private static boolean isDataError(SQLException sql) {
        String state = sql.getSQLState();
        return state != null && (state.startsWith("22") || RULES_BROKEN.contains(state))
                // PostgreSQL reports no error numbers; H2's are five digits, like its SQLSTATEs.
                || MARIADB_DATA_ERRORS.contains(sql.getErrorCode());
    }
}
