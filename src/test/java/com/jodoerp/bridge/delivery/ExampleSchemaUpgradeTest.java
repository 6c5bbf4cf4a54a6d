package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.RealDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * An ERP whose example tables were created by an earlier schema.sql is brought to the current one by upgrade.sql:
 * a table as it was before (the current one without the columns upgrade.sql adds, and with the free text it widens
 * as narrow as it was), upgraded, has the columns, types and sizes a table created now has, on the real MariaDB and
 * PostgreSQL.
 */
class ExampleSchemaUpgradeTest {

    private static final Pattern CHANGED = Pattern.compile(
            "ALTER TABLE (\\w+)|ADD COLUMN (\\w+)|(?:MODIFY COLUMN|ALTER COLUMN) (\\w+)");
    /** What the first schema.sql made of the columns upgrade.sql widens. */
    private static final Map<String, String> EARLIER_TYPES =
            Map.of("remark", "VARCHAR(1000)", "notes", "VARCHAR(4000)");

    @Test
    void upgradeSqlBringsMariaDbTablesOfAnEarlierSchemaToTheCurrentOne() throws IOException {
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
    void upgradeSqlBringsPostgresqlTablesOfAnEarlierSchemaToTheCurrentOne() throws IOException {
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

    private static void assertUpgradeMatches(String dialect, JdbcTemplate fresh, JdbcTemplate earlier)
            throws IOException {
        String upgrade = Files.readString(Path.of("routes/examples/jdbc", dialect, "upgrade.sql"));
        Map<String, List<String>> added = new LinkedHashMap<>();
        Map<String, List<String>> widened = new LinkedHashMap<>();
        changed(upgrade, added, widened);
        assertThat(added).as("upgrade.sql adds columns").isNotEmpty();
        assertThat(widened).as("upgrade.sql widens columns").isNotEmpty();
        ErpTargets.createSchema(fresh, dialect);
        ErpTargets.createSchema(earlier, dialect);
        added.forEach((table, columns) -> columns.forEach(column ->
                earlier.execute("ALTER TABLE " + table + " DROP COLUMN " + column)));
        widened.forEach((table, columns) -> columns.forEach(column -> earlier.execute("ALTER TABLE " + table
                + (dialect.equals("mysql") ? " MODIFY COLUMN " + column + " " : " ALTER COLUMN " + column + " TYPE ")
                + EARLIER_TYPES.get(column))));
        Set<String> tables = new LinkedHashSet<>(added.keySet());
        tables.addAll(widened.keySet());
        tables.forEach(table -> assertThat(columns(earlier, table)).as("before the upgrade")
                .isNotEqualTo(columns(fresh, table)));

        for (String statement : upgrade.lines().filter(line -> !line.startsWith("--")).reduce("", (a, b) -> a + "\n" + b)
                .split(";")) {
            if (!statement.isBlank()) {
                earlier.execute(statement);
            }
        }
        tables.forEach(table -> assertThat(columns(earlier, table)).as(table).isEqualTo(columns(fresh, table)));
    }

    /** The columns upgrade.sql adds, and those it widens, by table. */
    private static void changed(String upgrade, Map<String, List<String>> added, Map<String, List<String>> widened) {
        String table = null;
        Matcher matcher = CHANGED.matcher(upgrade);
        while (matcher.find()) {
            if (matcher.group(1) != null) {
                table = matcher.group(1);
            } else if (matcher.group(2) != null) {
                added.computeIfAbsent(table, t -> new ArrayList<>()).add(matcher.group(2));
            } else {
                widened.computeIfAbsent(table, t -> new ArrayList<>()).add(matcher.group(3));
            }
        }
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
