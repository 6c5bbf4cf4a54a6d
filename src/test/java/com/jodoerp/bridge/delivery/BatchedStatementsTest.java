package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A batch's statements held until commit and sent together, on a real database (H2), seen from the JDBC calls that
 * reach it: how many statements were run one at a time and how many batches were sent, and what the rows hold.
 */
class BatchedStatementsTest {

    /** JDBC calls that reached the database: "execute" (one statement run alone), "executeBatch" (a batch sent). */
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private BatchedStatements together;
    private JdbcTemplate jdbc;
    private TransactionTemplate transactions;

    @BeforeEach
    void database() {
        DriverManagerDataSource h2 = new DriverManagerDataSource(
                "jdbc:h2:mem:batched-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        together = new BatchedStatements(counting(h2));
        jdbc = new JdbcTemplate(together);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(together));
        jdbc.execute("CREATE TABLE account (id VARCHAR(10) PRIMARY KEY, v INT NOT NULL)");
        jdbc.execute("CREATE TABLE account_line (id VARCHAR(10), line_no INT, PRIMARY KEY (id, line_no))");
        calls.clear();
    }

    @Test
    void eachStatementGoesOnceForAllTheRecordsThatRanItAndRecordsKeepTheirOrder() {
        // Three records of two accounts; each creates its account when missing, then appends its digit, then a line.
        write(List.of("a1", "b2", "a3"), record -> {
            String account = record.substring(0, 1);
            int digit = record.charAt(1) - '0';
            jdbc.update("-- creates the row\nINSERT INTO account (id, v) SELECT ?, 0 FROM (VALUES 1) x"
                    + " WHERE NOT EXISTS (SELECT 1 FROM account WHERE id = ?)", account, account);
            jdbc.update("UPDATE account SET v = v * 10 + ? WHERE id = ?", digit, account);
            jdbc.update("INSERT INTO account_line (id, line_no) VALUES (?, ?)", account, digit);
        });

        assertThat(jdbc.queryForObject("SELECT v FROM account WHERE id = 'a'", Integer.class)).isEqualTo(13);
        assertThat(jdbc.queryForObject("SELECT v FROM account WHERE id = 'b'", Integer.class)).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT id || line_no FROM account_line ORDER BY 1", String.class))
                .containsExactly("a1", "a3", "b2");
        assertThat(count("executeBatch")).as("one batch per statement").isEqualTo(3);
        assertThat(count("execute")).as("statements run alone").isZero();
    }

    @Test
    void recordsWhoseOrdersContradictEachOtherRunTheirStatementsInTheOrderTheyRanThem() {
        jdbc.update("INSERT INTO account (id, v) VALUES ('a', 1)");
        calls.clear();
        String twice = "UPDATE account SET v = v * 2 WHERE id = 'a'";
        String plusOne = "UPDATE account SET v = v + 1 WHERE id = 'a'";
        write(List.of(List.of(twice, plusOne), List.of(plusOne, twice)), record -> record.forEach(this::prepared));

        // (1 * 2 + 1), then (3 + 1) * 2: as run, not each statement's runs together ((1 * 2 * 2) + 1 + 1 = 6).
        assertThat(jdbc.queryForObject("SELECT v FROM account WHERE id = 'a'", Integer.class)).isEqualTo(8);
        assertThat(count("executeBatch")).isZero();
        assertThat(count("execute")).isEqualTo(4);
    }

    @Test
    void aQueryIsNotHeldAndSeesTheWritesBeforeIt() {
        AtomicInteger seen = new AtomicInteger(-1);
        write(List.of("a", "b"), record -> {
            jdbc.update("INSERT INTO account (id, v) VALUES (?, 0)", record);
            seen.set(jdbc.queryForObject("SELECT COUNT(*) FROM account", Integer.class));
        });

        assertThat(seen).hasValue(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM account", Integer.class)).isEqualTo(2);
    }

    @Test
    void aStatementTheDatabaseRefusesFailsTheTransactionAtCommitAndNothingOfTheBatchLands() {
        assertThatThrownBy(() -> write(List.of("a", "toolongforthekey"), record ->
                jdbc.update("INSERT INTO account (id, v) VALUES (?, 0)", record)))
                .isInstanceOf(RuntimeException.class).hasRootCauseInstanceOf(SQLException.class);

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM account", Integer.class)).isZero();
        // The connection went back to the pool with nothing held: the next transaction writes what it runs.
        write(List.of("c", "d"), record -> jdbc.update("INSERT INTO account (id, v) VALUES (?, 0)", record));
        assertThat(jdbc.queryForList("SELECT id FROM account ORDER BY id", String.class)).containsExactly("c", "d");
    }

    @Test
    void outsideABatchEveryStatementRunsAtOnceWithItsUpdateCount() {
        int inserted = transactions.execute(status -> jdbc.update("INSERT INTO account (id, v) VALUES ('a', 0)"));

        assertThat(inserted).isOne();
        assertThat(count("executeBatch")).isZero();
        assertThat(jdbc.update("UPDATE account SET v = 5 WHERE id IN ('a', 'zz')")).isOne();
    }

    @Test
    void onlyWritesAreHeld() {
        assertThat(BatchedStatements.writes("-- a comment\n/* another */ insert into t values (1)")).isTrue();
        assertThat(BatchedStatements.writes("  UPDATE t SET v = 1")).isTrue();
        assertThat(BatchedStatements.writes("DELETE FROM t")).isTrue();
        assertThat(BatchedStatements.writes("MERGE INTO t KEY (id) VALUES (1)")).isTrue();
        assertThat(BatchedStatements.writes("SELECT * FROM t")).isFalse();
        assertThat(BatchedStatements.writes("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x")).isFalse();
        assertThat(BatchedStatements.writes("-- only a comment")).isFalse();
    }

    /** Runs a statement without parameters as a prepared statement, as camel-sql runs every statement. */
    private void prepared(String sql) {
        jdbc.update(sql, (PreparedStatementSetter) null);
    }

    /** Writes the records in one transaction, their statements held until it commits, as a target's writer does. */
    private <R> void write(List<R> records, Consumer<R> statements) {
        transactions.executeWithoutResult(status -> together.together(records, statements));
    }

    private int count(String call) {
        return calls.computeIfAbsent(call, name -> new AtomicInteger()).get();
    }

    /** The database, counting the statements run on it one at a time and the batches sent to it. */
    private DataSource counting(DataSource database) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(database, method, args);
                    return result instanceof Connection connection ? counting(connection) : result;
                });
    }

    private Connection counting(Connection connection) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(connection, method, args);
                    if (result instanceof PreparedStatement statement) {
                        return Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {PreparedStatement.class}, (p, m, a) -> {
                                    String name = switch (m.getName()) {
                                        case "executeBatch" -> "executeBatch";
                                        case "execute", "executeUpdate", "executeLargeUpdate" -> "execute";
                                        default -> null;
                                    };
                                    if (name != null && a == null) {
                                        calls.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
                                    }
                                    return invoke(statement, m, a);
                                });
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException failed) {
            throw failed.getCause();
        }
    }
}
