package com.jodoerp.bridge.delivery;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * An ERP connection pool whose connections send a batch's statements together: while a writer writes several
 * records in one transaction ({@link ErpBatches}), each INSERT, UPDATE or DELETE a record's statements run is held
 * back, and at commit each statement goes to the database once for all the records that ran it, as one JDBC batch
 * (MariaDB's driver sends a batch's inserts in one bulk command and pipelines the rest; PostgreSQL's pipelines
 * them). Measured on MariaDB (bench/RESULTS.md): a record of the examples is ten statements, and each, sent alone,
 * woke the database and the writer once: the database spent as much CPU per record as the bridge's whole delivery.
 *
 * <p>The order is the records': a record's statements run in the order it ran them, and the records that run one
 * statement run it in their batch's order (students in order, so locks are still taken in that order). What moves
 * is where other records' statements fall in between: all records' first statements run before any record's
 * second. The example statements allow that, as they allow any delivery order: each writes its row by key, guarded
 * by the record's precedence. A statement that reads (a SELECT) is never held: the writes before it are sent first.
 * Should the records' orders contradict each other (one runs a before b, another b before a), their statements are
 * sent one by one in the order they ran. A statement the database refuses fails the transaction at commit, and
 * {@link ErpBatches} writes the records again one per transaction, where nothing is held.
 */
final class BatchedStatements extends DelegatingDataSource {

    /** Set on a writer's thread while it writes several records in one transaction: the record it is at. */
    private final ThreadLocal<int[]> recordOnThread = new ThreadLocal<>();

    BatchedStatements(DataSource pool) {
        super(pool);
    }

    /**
     * Writes each record (one call of {@code write} each) inside the caller's transaction, with the statements held
     * back until it commits.
     */
    <R> void together(List<R> records, Consumer<R> write) {
        int[] record = {0};
        recordOnThread.set(record);
        try {
            for (R each : records) {
                record[0]++;
                write.accept(each);
            }
        } finally {
            recordOnThread.remove();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return holding(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return holding(super.getConnection(username, password));
    }

    private Connection holding(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new HoldingConnection(connection));
    }

    /** A statement held back, with the parameters it was run with (each setter call, in order). */
    private record Held(String sql, int record, List<Call> parameters) {
    }

    private record Call(Method method, Object[] args) {
    }

    /** Connection methods that neither write nor depend on what was written: they need nothing sent first. */
    private static final Set<String> PASSIVE = Set.of("getMetaData", "getAutoCommit", "isClosed", "isReadOnly",
            "getTransactionIsolation", "getWarnings", "clearWarnings", "getHoldability", "getCatalog", "getSchema",
            "isValid", "getClientInfo", "getNetworkTimeout", "unwrap", "isWrapperFor", "toString");

    private final class HoldingConnection implements InvocationHandler {

        private final Connection target;
        /** The statements held, in the order they were run: sent that way if the records' orders contradict. */
        private final List<Held> inOrder = new ArrayList<>();
        /** In which order each SQL's batch goes: a record's statements keep their order in it. */
        private final List<String> sendOrder = new ArrayList<>();
        private boolean contradictory;
        private int lastRecord;
        /** Where in {@link #sendOrder} the last record's latest statement is. */
        private int lastPosition = -1;

        HoldingConnection(Connection target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            switch (name) {
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "prepareStatement":
                    int[] record = recordOnThread.get();
                    if (record != null && args.length == 1 && writes((String) args[0])) {
                        return Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                                new Class<?>[] {PreparedStatement.class},
                                new HeldStatement((Connection) proxy, this, (String) args[0], record[0]));
                    }
                    break;
                case "commit":
                    commit();
                    return null;
                case "rollback":
                case "close":
                    if (args == null) {
                        forget();
                    }
                    break;
                default:
                    break;
            }
            if (!PASSIVE.contains(name)) {
                send();
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException failed) {
                throw failed.getCause();
            }
        }

        /**
         * Sends what is held, then commits; if the database refuses a statement, the transaction is rolled back here
         * and then: a transaction manager does not roll back after a failed commit, and a connection put back in
         * auto-commit would commit the statements that did run.
         */
        private void commit() throws SQLException {
            try {
                send();
            } catch (SQLException | RuntimeException refused) {
                try {
                    target.rollback();
                } catch (SQLException alsoFailed) {
                    refused.addSuppressed(alsoFailed);
                }
                throw refused;
            }
            target.commit();
        }

        void hold(Held held) {
            if (held.record() != lastRecord) {
                lastRecord = held.record();
                lastPosition = -1;
            }
            int position = sendOrder.indexOf(held.sql());
            if (position < 0) {
                // First seen: right after what this record ran before it, the earliest place its order allows.
                sendOrder.add(lastPosition + 1, held.sql());
                lastPosition++;
            } else if (position >= lastPosition) {
                lastPosition = position;
            } else {
                contradictory = true;
            }
            inOrder.add(held);
        }

        private void send() throws SQLException {
            if (inOrder.isEmpty()) {
                return;
            }
            try {
                if (contradictory) {
                    for (Held held : inOrder) {
                        run(List.of(held));
                    }
                } else {
                    for (String sql : sendOrder) {
                        // The records that ran it, in the order they ran it: the batch's order.
                        run(inOrder.stream().filter(held -> held.sql().equals(sql)).toList());
                    }
                }
            } finally {
                forget();
            }
        }

        private void run(List<Held> statements) throws SQLException {
            try (PreparedStatement statement = target.prepareStatement(statements.get(0).sql())) {
                for (Held held : statements) {
                    for (Call call : held.parameters()) {
                        try {
                            call.method().invoke(statement, call.args());
                        } catch (ReflectiveOperationException failed) {
                            throw failed.getCause() instanceof SQLException sql ? sql
                                    : new SQLException("setting a parameter of " + held.sql(), failed);
                        }
                    }
                    if (statements.size() == 1) {
                        statement.execute();
                    } else {
                        statement.addBatch();
                    }
                }
                if (statements.size() > 1) {
                    statement.executeBatch();
                }
            }
        }

        private void forget() {
            inOrder.clear();
            sendOrder.clear();
            contradictory = false;
            lastRecord = 0;
            lastPosition = -1;
        }
    }

    /**
     * A write statement whose runs are held by its connection: it takes parameters like any other and answers that
     * it ran, with no update count yet (the driver's batches answer the same way). Anything else asked of it fails,
     * which fails the batch's transaction, and its records are written again one by one, where nothing is held.
     */
    private static final class HeldStatement implements InvocationHandler {

        private final Connection connection;
        private final HoldingConnection holder;
        private final String sql;
        private final int record;
        private final List<Call> parameters = new ArrayList<>();
        private boolean closed;

        HeldStatement(Connection connection, HoldingConnection holder, String sql, int record) {
            this.connection = connection;
            this.holder = holder;
            this.sql = sql;
            this.record = record;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws SQLException {
            String name = method.getName();
            if (name.startsWith("set")) {
                parameters.add(new Call(method, args));
                return null;
            }
            switch (name) {
                case "execute":
                case "executeUpdate":
                    if (args != null) {
                        break;
                    }
                    holder.hold(new Held(sql, record, List.copyOf(parameters)));
                    return name.equals("execute") ? (Object) false : (Object) Statement.SUCCESS_NO_INFO;
                case "clearParameters":
                    parameters.clear();
                    return null;
                case "getUpdateCount":
                    return Statement.SUCCESS_NO_INFO;
                case "getMoreResults":
                    return false;
                case "getResultSet":
                case "getWarnings":
                case "clearWarnings":
                    return null;
                case "getConnection":
                    return connection;
                case "close":
                    closed = true;
                    return null;
                case "isClosed":
                    return closed;
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "held until commit: " + sql;
                default:
                    break;
            }
            throw new SQLFeatureNotSupportedException(name + " on a statement held for its batch: " + sql);
        }
    }

    private static final Set<String> WRITES = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE");

    /** Whether a statement writes: its first word, after comments, is INSERT, UPDATE, DELETE, MERGE or REPLACE. */
    static boolean writes(String sql) {
        int at = 0;
        while (at < sql.length()) {
            char c = sql.charAt(at);
            if (Character.isWhitespace(c)) {
                at++;
            } else if (sql.startsWith("--", at)) {
                int end = sql.indexOf('\n', at);
                at = end < 0 ? sql.length() : end + 1;
            } else if (sql.startsWith("/*", at)) {
                int end = sql.indexOf("*/", at + 2);
                at = end < 0 ? sql.length() : end + 2;
            } else {
                break;
            }
        }
        int end = at;
        while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
            end++;
        }
        return WRITES.contains(sql.substring(at, end).toUpperCase(Locale.ROOT));
    }
}
