package com.jodoerp.bridge.delivery;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeExchangeException;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.component.sql.SqlHelper;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * camel-sql's named parameters ({@code :#payment_id}), with each statement parsed once instead of once per record:
 * the default strategy runs its regular expressions over the SQL text for every statement of every record, which
 * the JFR profile of the MariaDB benchmark put at about 40 % of an ERP writer's CPU. The jdbc-target template names
 * it on each statement ({@code prepareStatementStrategy=#namedStatements}).
 *
 * <p>A statement whose parameters are all plain names gets the same SQL and the same values, in the same order, as
 * from the default strategy, looked up the same way (the record's parameters, then headers, then variables) and
 * refused the same way when one is missing. Any other statement ({@code :#in:...}, {@code :#${...}}) is left to
 * the default strategy as it is.
 *
 * <p>Each endpoint using it is also told how many parameters its statement has ({@code parametersCount}). Without
 * that, camel-sql asks the driver for every statement of every record ({@code getParameterMetaData}), which costs a
 * round trip on MariaDB's driver (it prepares the statement on the server just to answer) and on PostgreSQL's (it has
 * the server describe it): one more round trip and one more parse per statement, for a count that is known here. The
 * same question for a null value is switched off in {@code spring.properties} (bench/RESULTS.md, 2026-12-02).
 */
@Component("namedStatements")
public class NamedStatements extends DefaultSqlPrepareStatementStrategy implements CamelContextConfiguration {

    /** A plain named parameter, as camel-sql sees it once the endpoint made {@code :#} into {@code :?}. */
    private static final Pattern PLAIN = Pattern.compile(":\\?(\\w+)");

    private final Map<String, Optional<Parsed>> parsed = new ConcurrentHashMap<>();

    /** The statement as the driver gets it, and the names of its parameters in order. */
    private record Parsed(String prepared, List<String> names) {
    }

    @Override
    public String prepareQuery(String query, boolean allowNamedParameters, Exchange exchange) throws SQLException {
        Optional<Parsed> plain = allowNamedParameters ? parse(query) : Optional.empty();
        return plain.isPresent() ? plain.get().prepared() : super.prepareQuery(query, allowNamedParameters, exchange);
    }

    @Override
    public Iterator<?> createPopulateIterator(String query, String preparedQuery, int expectedParams,
                                              Exchange exchange, Object value) throws SQLException {
        Optional<Parsed> plain = parse(query);
        if (plain.isEmpty()) {
            return super.createPopulateIterator(query, preparedQuery, expectedParams, exchange, value);
        }
        Map<?, ?> body = value instanceof Map<?, ?> map ? map : orEmpty(
                exchange.getContext().getTypeConverter().tryConvertTo(Map.class, exchange, value));
        Map<?, ?> headers = orEmpty(exchange.getMessage().getHeaders());
        Map<?, ?> variables = orEmpty(exchange.getVariables());
        List<Object> values = new ArrayList<>(plain.get().names().size());
        for (String name : plain.get().names()) {
            if (body.containsKey(name)) {
                values.add(body.get(name));
            } else if (headers.containsKey(name)) {
                values.add(headers.get(name));
            } else if (variables.containsKey(name)) {
                values.add(variables.get(name));
            } else {
                throw new RuntimeExchangeException(String.format("Cannot find key [%s] in message body or headers to"
                        + " use when setting named parameter in query [%s]", name, query), exchange);
            }
        }
        return values.iterator();
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        camelContext.getCamelContextExtension().registerEndpointCallback(this::countParameters);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing more: endpoints made later (the targets' routes) pass through the callback as well
    }

    /** An endpoint's statement as its producer will read it, and the count of its plain parameters (if any). */
    private Endpoint countParameters(String uri, Endpoint endpoint) {
        if (endpoint instanceof SqlEndpoint sql && sql.getPrepareStatementStrategy() == this
                && sql.getParametersCount() == 0 && sql.isAllowNamedParameters()) {
            try {
                parse(SqlHelper.resolveQuery(sql.getCamelContext(), sql.getQuery(),
                        sql.isUsePlaceholder() ? sql.getPlaceholder() : null))
                        .ifPresent(plain -> sql.setParametersCount(plain.names().size()));
            } catch (Exception unreadable) {
                // Left to camel-sql, which reports a statement it cannot read where it always has.
            }
        }
        return endpoint;
    }

    private Optional<Parsed> parse(String query) {
        return parsed.computeIfAbsent(query, statement -> {
            if (statement.contains(":?in:") || statement.contains(":?$")) {
                return Optional.empty();
            }
            List<String> names = new ArrayList<>();
            StringBuilder prepared = new StringBuilder();
            Matcher parameter = PLAIN.matcher(statement);
            while (parameter.find()) {
                names.add(parameter.group(1));
                parameter.appendReplacement(prepared, "?");
            }
            parameter.appendTail(prepared);
            return names.isEmpty() ? Optional.empty() : Optional.of(new Parsed(prepared.toString(), List.copyOf(names)));
        });
    }

    private static Map<?, ?> orEmpty(Map<?, ?> map) {
        return map == null ? Collections.emptyMap() : map;
    }
}
