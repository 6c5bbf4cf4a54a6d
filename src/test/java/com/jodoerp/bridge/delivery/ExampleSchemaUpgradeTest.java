package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.RealDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * An ERP whose example tables were created by the first release's schema.sql (kept in src/test/resources/
 * erp-schema-before), with rows in them, is brought to the current one by upgrade.sql: every table has the columns,
 * types, sizes and nullability a table created now has, and the rows there already rank as the statements would
 * have ranked them (a cancelled payment outranks any later "added"), on the real MariaDB and PostgreSQL.
 */
class ExampleSchemaUpgradeTest {

    private static final List<String> TABLES = List.of("erp_student", "erp_payment", "erp_payment_line",
            "erp_subscription", "erp_subscription_instalment", "erp_loan", "erp_loan_disbursement", "erp_loan_emi");
    /** Rows as the first release's statements wrote them. */
    private static final List<String> ROWS = List.of("""
            INSERT INTO erp_student (jodo_student_id, identifier, grade_name, status, occurred_at, event_id)
            VALUES ('student_1', '1234', 'Grade 5', 'DROPPED', '2026-11-20 10:00:00', 'ev-drop')""", """
            INSERT INTO erp_payment (id, product, status, reversed, occurred_at, event_id, lines_occurred_at,
                                     lines_event_id)
            VALUES ('pay_added', 'direct', 'ADDED', FALSE, '2026-11-20 10:00:00', 'ev-a', '2026-11-20 10:00:00',
                    'ev-a'),
                   ('pay_cancelled', 'direct', 'CANCELLED', TRUE, '2026-11-21 10:00:00', 'ev-c',
                    '2026-11-20 10:00:00', 'ev-b'),
                   ('pay_settled', 'flex', 'SETTLED', FALSE, '2026-11-21 10:00:00', 'ev-s', NULL, NULL)""", """
            INSERT INTO erp_subscription (id, status, occurred_at, event_id)
            VALUES ('sub_active', 'active', '2026-11-20 10:00:00', 'ev-sa'),
                   ('sub_closed', 'closed', '2026-11-20 10:00:00', 'ev-sc')""", """
            INSERT INTO erp_loan (application_id, status, occurred_at, event_id)
            VALUES ('app_disbursed', 'disbursed', '2026-11-20 10:00:00', 'ev-ld')""", """
            INSERT INTO erp_loan_emi (payment_id, status, occurred_at, event_id)
            VALUES ('emi_bounced', 'BOUNCED', '2026-11-20 10:00:00', 'ev-eb')""");

    @Test
    void upgradeSqlBringsMariaDbTablesOfTheFirstReleaseToTheCurrentOnes() {
        String fresh = RealDatabases.createMariaDbDatabase();
        String earlier = RealDatabases.createMariaDbDatabase();
        try {
            assertUpgradeMatches("mysql", erp(RealDatabases.mariaDbUrl(fresh), "root"),
                    erp(RealDatabases.mariaDbUrl(earlier), "root"));
        } finally {
            RealDatabases.dropMariaDbDatabase(fresh);
            RealDatabases.dropMariaDbDatabase(earlier);
        }
    }

    @Test
    void upgradeSqlBringsPostgresqlTablesOfTheFirstReleaseToTheCurrentOnes() {
        String fresh = RealDatabases.createPostgresDatabase();
        String earlier = RealDatabases.createPostgresDatabase();
        try {
            assertUpgradeMatches("postgresql", erp(RealDatabases.postgresUrl(fresh), RealDatabases.POSTGRES_USER),
                    erp(RealDatabases.postgresUrl(earlier), RealDatabases.POSTGRES_USER));
        } finally {
            RealDatabases.dropPostgresDatabase(fresh);
            RealDatabases.dropPostgresDatabase(earlier);
        }
    }

    private static void assertUpgradeMatches(String dialect, JdbcTemplate fresh, JdbcTemplate earlier) {
        ErpTargets.createSchema(fresh, dialect);
        ErpTargets.run(earlier, Path.of("src/test/resources/erp-schema-before", dialect + ".sql"));
        ROWS.forEach(earlier::execute);
        TABLES.forEach(table -> assertThat(columns(earlier, table)).as("before the upgrade: " + table).isNotEmpty());
        assertThat(TABLES.stream().filter(table -> !columns(earlier, table).equals(columns(fresh, table))))
                .as("tables the first release made otherwise").isNotEmpty();

        ErpTargets.run(earlier, Path.of("routes/examples/jdbc", dialect, "upgrade.sql"));

        TABLES.forEach(table -> assertThat(columns(earlier, table)).as(table).isEqualTo(columns(fresh, table)));
        assertThat(earlier.queryForList("SELECT status_rank, status_event_id FROM erp_student"))
                .singleElement().satisfies(row -> assertThat(row.values()).containsExactly(2, "ev-drop"));
        // A kept row's values count as its newest record's (the key student.sql compares); a value it lacks, as none.
        assertThat(earlier.queryForList("SELECT identifier_from, grade_from, notes_from FROM erp_student"))
                .singleElement().satisfies(row -> assertThat(row.values()).containsExactly(
                        "2026-11-20T10:00:00Z ev-drop", "2026-11-20T10:00:00Z ev-drop", null));
        assertThat(ranks(earlier, "SELECT id, status_rank, lines_status_rank FROM erp_payment"))
                .containsOnly(Map.entry("pay_added", "1/1"), Map.entry("pay_cancelled", "3/1"),
                        Map.entry("pay_settled", "2/null"));
        assertThat(earlier.queryForList("SELECT id FROM erp_payment WHERE reversed_at = occurred_at", String.class))
                .as("reversed, when").containsExactly("pay_cancelled");
        assertThat(ranks(earlier, "SELECT id, status_rank, lines_status_rank FROM erp_subscription"))
                .containsOnly(Map.entry("sub_active", "2/null"), Map.entry("sub_closed", "3/null"));
        assertThat(ranks(earlier, "SELECT application_id, status_rank, NULL FROM erp_loan"))
                .containsOnly(Map.entry("app_disbursed", "5/null"));
        assertThat(ranks(earlier, "SELECT payment_id, status_rank, NULL FROM erp_loan_emi"))
                .containsOnly(Map.entry("emi_bounced", "3/null"));
    }

    /** Each row's id and its "status_rank/lines_status_rank", as the query gives them. */
    private static Map<String, String> ranks(JdbcTemplate erp, String query) {
        Map<String, String> ranks = new TreeMap<>();
        erp.query(query, row -> {
            ranks.put(row.getString(1), row.getObject(2) + "/" + row.getObject(3));
        });
        return ranks;
    }

    /** Each column's name, type, size and nullability, by name (their order is the database's business). */
    private static Map<String, String> columns(JdbcTemplate erp, String table) {
        return erp.execute((ConnectionCallback<Map<String, String>>) connection -> columns(connection, table));
    }

    private static Map<String, String> columns(Connection connection, String table) throws SQLException {
        Map<String, String> columns = new TreeMap<>();
        DatabaseMetaData meta = connection.getMetaData();
        try (ResultSet rows = meta.getColumns(connection.getCatalog(), null, table, null)) {
            while (rows.next()) {
                columns.put(rows.getString("COLUMN_NAME"), rows.getString("TYPE_NAME") + "("
                        + rows.getInt("COLUMN_SIZE") + ") " + rows.getString("IS_NULLABLE"));
            }
        }
        return columns;
    }

    private static JdbcTemplate erp(String url, String user) {
        return new JdbcTemplate(new DriverManagerDataSource(url, user, ""));
    }
}
