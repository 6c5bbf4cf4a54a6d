package com.jodoerp.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.RealDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A PostgreSQL store without autovacuum slowly bloats and slows down: the operator is told at start-up. */
@ExtendWith(OutputCaptureExtension.class)
class PostgresAutovacuumCheckTest {

    @TempDir
    Path dataDir;

    @Test
    void theDefaultsSayNothingAndEitherSettingOffIsNamed() {
        assertThat(PostgresAutovacuumCheck.warning("on", "on")).isEmpty();
        assertThat(PostgresAutovacuumCheck.warning("off", "on")).hasValueSatisfying(
                warning -> assertThat(warning).contains("autovacuum=off", "VACUUM (ANALYZE)"));
        assertThat(PostgresAutovacuumCheck.warning("on", "off")).hasValueSatisfying(
                warning -> assertThat(warning).contains("track_counts=off"));
    }

    @Test
    void startingOnTheRealServerWarnsExactlyWhenItsAutovacuumIsOff(CapturedOutput output) throws SQLException {
        String database = RealDatabases.createPostgresDatabase();
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of(
                "spring.datasource.url", RealDatabases.postgresUrl(database),
                "spring.datasource.username", RealDatabases.POSTGRES_USER,
                "spring.datasource.password", ""))) {
            boolean off = !"on".equals(setting("autovacuum")) || !"on".equals(setting("track_counts"));
            if (off) {
                assertThat(output.getOut()).contains("PostgreSQL runs with autovacuum=");
            } else {
                assertThat(output.getOut()).doesNotContain("PostgreSQL runs with autovacuum=");
            }
        } finally {
            RealDatabases.dropPostgresDatabase(database);
        }
    }

    private static String setting(String name) throws SQLException {
        try (Connection connection = DriverManager.getConnection(RealDatabases.POSTGRES_ADMIN_URL,
                RealDatabases.POSTGRES_USER, ""); ResultSet rs = connection.createStatement().executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
