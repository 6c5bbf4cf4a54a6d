package com.jodoerp.bridge.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.jodoerp.bridge.canonical.CanonicalMapper;
import com.jodoerp.bridge.flow.Flow;
import com.jodoerp.bridge.system.JdbcUrls;
import com.jodoerp.bridge.system.NearestName;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Component;

/**
 * The database transport: gives each JDBC target its own connection pool and its batch writers (named
 * {@code <target>-datasource} and {@code <target>-batches} for its route), and turns the canonical
 * record into flat SQL parameters ({@code :#payment_id}, {@code :#student_grade_code}, ...): times as UTC
 * date-times, dates as dates, amounts as exact decimals. Lines (fee components, instalments,
 * disbursements) become {@code line_*} parameters, one map per line. One parameter is not a field:
 * {@link #RECORD_KEY}.
 */
@Component("jdbcTarget")
public class JdbcTarget implements Transport {

    private static final Logger log = LoggerFactory.getLogger(JdbcTarget.class);

    private static final Set<String> TIMES = Set.of("occurred_at", "received_at", "paid_at", "settled_at",
            "agreement_signed_at");
    private static final Set<String> DATES = Set.of("due_date", "initial_due_date", "end_date", "date",
            "date_of_birth");
    private static final List<String> STATEMENTS = List.of("student.sql", "student-update.sql", "student-status.sql",
            "payment.sql", "payment-update.sql", "payment-lines-claim.sql", "payment-lines-delete.sql",
            "payment-line.sql", "subscription.sql", "subscription-update.sql", "subscription-mandate.sql",
            "subscription-lines-claim.sql", "subscription-lines-delete.sql", "subscription-line.sql", "loan.sql",
            "loan-update.sql", "loan-line.sql", "loan-emi.sql", "loan-emi-update.sql");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final Map<String, Object> SKELETON = flatten(JSON.convertValue(CanonicalMapper.skeleton(),
            new TypeReference<Map<String, Object>>() { }));
    /**
     * The record's place among the others as one text, {@code 2024-06-01T08:45:00Z <event_id>}: the time to the second
     * (fixed width), then the event id, so it sorts as (occurred_at, event_id) do. A statement that keeps, per value,
     * which record it came from stores it in one column, and compares it in one condition (the example erp_student).
     */
    private static final String RECORD_KEY = "record_key";
    private static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    /** What a statement may name: the record's fields flattened with '_', record_key, a line's line_no and line_*. */
    private static final Set<String> PARAMETERS = parameters();
    /** A plain named parameter ({@code :#payment_id}); {@code :#in:...} and {@code :#${...}} are Camel's to read. */
    private static final Pattern PARAMETER = Pattern.compile(":#(\\w+)(?![\\w:])");

    /** Where a record that outlives its batch's wait goes on waiting (it needs the delivery queue, built after us). */
    private final ObjectProvider<CallsApart> callsApart;

    public JdbcTarget(ObjectProvider<CallsApart> callsApart) {
        this.callsApart = callsApart;
    }

    @Override
    public String name() {
        return "jdbc";
    }

    /**
     * The record is handed to the target's writers, which answer when its transaction ends, or after the batch's wait
     * that it goes on waiting apart (ErpBatches).
     */
    @Override
    public boolean callsInLine() {
        return true;
    }

    @Override
    public Map<String, String> prepare(String target, Map<String, String> options, CamelContext camelContext) {
        String url = Transport.required(target, options, "url");
        Path statements = Path.of(Transport.required(target, options, "statements"));
        for (String statement : STATEMENTS) {
            if (!Files.isRegularFile(statements.resolve(statement))) {
                throw new IllegalArgumentException("bridge.targets." + target + ".options.statements: no " + statement
                        + " in " + statements.toAbsolutePath());
            }
            checkParameters(target, statements.resolve(statement));
        }
        driverFor(target, url);
        HikariConfig pool = new HikariConfig();
        pool.setPoolName(target);
        pool.setJdbcUrl(url);
        pool.setUsername(options.getOrDefault("username", ""));
        pool.setPassword(options.getOrDefault("password", ""));
        pool.setMaximumPoolSize(RestTarget.positive("bridge.targets." + target + ".options.max-connections",
                options.getOrDefault("max-connections", "4")));
        pool.setConnectionTimeout(5_000);
        // Read committed, PostgreSQL's and H2's default: under MariaDB/MySQL's repeatable read, deleting a payment's
        // lines where there are none yet locks the gap between index entries, and two transactions that then insert
        // into the same gap deadlock (measured: 215 deadlocks in one benchmark run). The statements need no more:
        // each row is written by key, guarded by the record's precedence.
        pool.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // Every write runs in a transaction of its batch (ErpBatches): connections kept out of auto-commit spare the
        // two round trips per transaction that switching it off and on again costs (SET autocommit on MariaDB).
        pool.setAutoCommit(false);
        // MariaDB's driver sends a batch of INSERTs in its bulk command, which MariaDB refuses for INSERT ... SELECT
        // (the examples' lines: "not supported in the prepared statement protocol"): its batches are pipelined instead,
        // as its UPDATEs and DELETEs always are. Unless the URL says otherwise.
        if (url.startsWith("jdbc:mariadb:") && !url.contains("useBulkStmts")) {
            pool.addDataSourceProperty("useBulkStmtsForInserts", "false");
        }
        socketTimeout(target, url, options, pool);
        // Started now, its connections opened in the background, so that the first deliveries do not each wait for a
        // connection's set-up (under load, longer than the pool's 5 s wait was seen); an ERP database that is down at
        // start-up is a delivery to retry, not a failed start.
        pool.setInitializationFailTimeout(-1);
        HikariDataSource connections = new HikariDataSource(pool);
        // The route's statements and the writers' transactions share one data source, so that they share the
        // transaction's connection: the pool itself, or the pool sending a batch's statements together.
        BatchedStatements together = batchStatements(target, options) ? new BatchedStatements(connections) : null;
        DataSource erp = together == null ? connections : together;
        camelContext.getRegistry().bind(target + "-datasource", erp);
        // One writer per connection, each writing its batches in one transaction (ErpBatches); the route hands
        // records to it and the writer runs them back through the route's statements.
        ErpBatches batches = new ErpBatches(target, new TransactionTemplate(new DataSourceTransactionManager(erp)),
                camelContext.createProducerTemplate(), "direct:deliver-to-" + target, pool.getMaximumPoolSize(),
                together, callsApart.getObject());
        try {
            // Closed when the bridge stops, after its writers (Camel stops services in the reverse order): the ERP
            // database sees its connections closed, not dropped ("Aborted connection" in MariaDB's log at each stop).
            camelContext.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    connections.close();
                }
            }, true, true);
            camelContext.addService(batches, true, true);
        } catch (Exception failed) {
            throw new IllegalStateException("target " + target + ": its ERP writers did not start", failed);
        }
        camelContext.getRegistry().bind(target + "-batches", batches);
        return options;
    }

    /**
     * A parameter no record has fails every delivery that runs the statement, for the whole retry budget (camel-sql
     * looks it up per record). One a few letters from a record's field is taken for a misspelling and stops start-up,
     * naming the file and the field; any other may come from a header or variable the integrator's route sets, and is
     * only warned about.
     */
    private static void checkParameters(String target, Path file) {
        String sql;
        try {
            // Parameter names are ASCII: read as Latin-1, a file in any encoding is read without refusing it.
            sql = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalArgumentException("bridge.targets." + target + ".options.statements: " + file
                    + " cannot be read: " + e.getMessage());
        }
        Matcher parameter = PARAMETER.matcher(sql);
        while (parameter.find()) {
            String name = parameter.group(1);
            if (PARAMETERS.contains(name)) {
                continue;
            }
            String nearest = NearestName.of(name, PARAMETERS);
            if (nearest != null) {
                throw new IllegalArgumentException("bridge.targets." + target + ".options.statements: " + file
                        + " names :#" + name + ", which no record has; did you mean :#" + nearest + "? (a record's"
                        + " fields are flattened with '_', as :#payment_id; a line's are :#line_no and :#line_<field>)");
            }
            log.warn("Target {}: {} names :#{}, which no record has: unless the route sets a header or variable of"
                    + " that name, every delivery that runs it will fail", target, file, name);
        }
    }

    private static Set<String> parameters() {
        Set<String> names = new TreeSet<>(SKELETON.keySet());
        names.add(RECORD_KEY);
        names.add("line_no");
        for (JsonNode line : CanonicalMapper.lineSkeletons()) {
            line.fieldNames().forEachRemaining(field -> names.add("line_" + field));
        }
        return Collections.unmodifiableSet(names);
    }

    /**
     * An ERP database that is down at start-up is a delivery to retry, but a URL no driver in the bridge takes would
     * fail every delivery for the whole retry budget: it stops start-up instead.
     */
    private static void driverFor(String target, String url) {
        String setting = "bridge.targets." + target + ".options.url";
        try {
            DriverManager.getDriver(url);
        } catch (SQLException none) {
            throw new IllegalArgumentException(setting + ": no JDBC driver in the bridge takes '" + JdbcUrls.shown(url)
                    + "': it has MariaDB's (jdbc:mariadb://host:3306/erp, for MySQL too), PostgreSQL's"
                    + " (jdbc:postgresql://host:5432/erp) and H2's (jdbc:h2:)");
        }
    }

    /**
     * A database that stops answering mid-statement (a network that drops its packets) would otherwise hold the
     * writer on that connection until the operating system gives up on it, a quarter of an hour on Linux, and every
     * record of that writer's students with it. MariaDB's, MySQL's and PostgreSQL's drivers end the wait after the
     * target's {@code socket-timeout} (two minutes, beyond any lock wait the examples meet); the connection is then
     * dropped and the records tried again on a new one. Unless the URL sets the driver's own socketTimeout.
     */
    private static void socketTimeout(String target, String url, Map<String, String> options, HikariConfig pool) {
        String setting = "bridge.targets." + target + ".options.socket-timeout";
        long millis = RestTarget.duration(setting, options.getOrDefault("socket-timeout", "2m"));
        if (millis < 1000) {
            // The drivers read 0 as "wait for ever" and PostgreSQL's counts whole seconds.
            throw new IllegalArgumentException(setting + ": at least 1s, got " + options.get("socket-timeout"));
        }
        if (url.contains("socketTimeout")) {
            return;
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            pool.addDataSourceProperty("socketTimeout", String.valueOf(millis));
        } else if (url.startsWith("jdbc:postgresql:")) {
            pool.addDataSourceProperty("socketTimeout", String.valueOf((millis + 999) / 1000));
        }
    }

    private static boolean batchStatements(String target, Map<String, String> options) {
        String value = options.getOrDefault("batch-statements", "true").trim();
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("bridge.targets." + target + ".options.batch-statements: true or false,"
                    + " not " + value);
        }
        return value.equals("true");
    }

    /** Body: the record's parameters; property {@link #LINES}: one parameter map per line. */
    public void rows(Exchange exchange) {
        Map<?, ?> record = exchange.getMessage().getBody(Map.class);
        Map<String, Object> row = new LinkedHashMap<>(SKELETON);
        row.putAll(flatten(record));
        row.put(RECORD_KEY, KEY_TIME.format(Instant.parse((String) record.get("occurred_at"))) + " "
                + record.get("event_id"));
        List<Map<String, Object>> lines = new ArrayList<>();
        Object items = lines(record);
        if (items instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Map<String, Object> line = new LinkedHashMap<>(row);
                line.put("line_no", i + 1);
                ((Map<?, ?>) list.get(i)).forEach((key, value) -> line.put("line_" + key, typed(String.valueOf(key), value)));
                lines.add(line);
            }
        }
        exchange.getMessage().setBody(row);
        exchange.setProperty(Flow.LINES, items instanceof List<?> ? lines : null);
    }

    private static Object lines(Map<?, ?> record) {
        Object block = switch (String.valueOf(record.get("kind"))) {
            case "payment" -> record.get("payment");
            case "subscription" -> record.get("subscription");
            case "loan" -> record.get("loan");
            default -> null;
        };
        if (!(block instanceof Map<?, ?> map)) {
            return null;
        }
        return map.containsKey("components") ? map.get("components")
                : map.containsKey("schedule") ? map.get("schedule") : map.get("disbursements");
    }

    private static Map<String, Object> flatten(Map<?, ?> record) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", record, flat);
        return flat;
    }

    private static void flatten(String prefix, Map<?, ?> node, Map<String, Object> flat) {
        node.forEach((key, value) -> {
            String name = prefix + key;
            if (value instanceof Map<?, ?> child && "notes".equals(key)) {
                // Free-form key/value pairs have no fixed columns: they go to the ERP as one JSON text.
                flat.put(name, json(child));
            } else if (value instanceof Map<?, ?> child) {
                flatten(name + "_", child, flat);
            } else if (!(value instanceof List<?>)) {
                flat.put(name, typed(String.valueOf(key), value));
            }
        });
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a map of text always serialises", e);
        }
    }

    private static Object typed(String key, Object value) {
        if (!(value instanceof String text)) {
            return value;
        }
        if (TIMES.contains(key)) {
            return LocalDateTime.ofInstant(Instant.parse(text), ZoneOffset.UTC);
        }
        return DATES.contains(key) ? LocalDate.parse(text) : text;
    }
}
