package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeExchangeException;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The statements parsed once give the driver what camel-sql's own strategy gives it, whatever the statement. */
class NamedStatementsTest {

    private static final CamelContext CAMEL = new DefaultCamelContext();
    private static final String UPSERT = "INSERT INTO erp_payment (id, amount, note) SELECT :?payment_id, :?amount,"
            + " ':not a parameter' WHERE NOT EXISTS (SELECT 1 FROM erp_payment WHERE id = :?payment_id"
            + " AND received_at::date = :?day)";

    @AfterAll
    static void stop() throws Exception {
        CAMEL.close();
    }

    @Test
    void aStatementOfPlainNamesGetsTheSameSqlAndValuesAsCamelSqlsOwnWay() throws Exception {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("payment_id", "pay_1");
        record.put("amount", new java.math.BigDecimal("5000.00"));
        record.put("day", null);
        Exchange exchange = exchange(record);
        exchange.getMessage().setHeader("amount", "a header does not win over the record");

        for (int round = 0; round < 2; round++) {
            assertSame(UPSERT, exchange, record);
        }
        assertThat(new NamedStatements().prepareQuery(UPSERT, true, exchange)).isEqualTo("INSERT INTO erp_payment"
                + " (id, amount, note) SELECT ?, ?, ':not a parameter' WHERE NOT EXISTS (SELECT 1 FROM erp_payment"
                + " WHERE id = ? AND received_at::date = ?)");
    }

    @Test
    void headersAndVariablesAnswerWhatTheRecordDoesNotHold() throws Exception {
        Exchange exchange = exchange(Map.of("payment_id", "pay_2"));
        exchange.getMessage().setHeader("amount", 12);
        exchange.setVariable("day", "2026-12-01");
        assertSame(UPSERT, exchange, exchange.getMessage().getBody());
    }

    @Test
    void otherStatementsAreLeftToCamelSql() throws Exception {
        Exchange exchange = exchange(Map.of("ids", List.of("a", "b", "c"), "id", "x"));
        for (String statement : List.of("DELETE FROM t WHERE id IN (:?in:ids)", "SELECT :?${body[id]}",
                "SELECT 1", "SELECT ?")) {
            assertSame(statement, exchange, exchange.getMessage().getBody());
        }
    }

    @Test
    void aMissingParameterIsRefusedNamingItAndTheStatement() {
        Exchange exchange = exchange(Map.of("payment_id", "pay_3"));
        assertThatThrownBy(() -> new NamedStatements().createPopulateIterator(UPSERT, null, 4, exchange,
                exchange.getMessage().getBody()))
                .isInstanceOf(RuntimeExchangeException.class)
                .hasMessageContaining("Cannot find key [amount]").hasMessageContaining("erp_payment");
    }

    private static void assertSame(String statement, Exchange exchange, Object body) throws Exception {
        DefaultSqlPrepareStatementStrategy camelSql = new DefaultSqlPrepareStatementStrategy();
        NamedStatements parsedOnce = new NamedStatements();
        String expected = camelSql.prepareQuery(statement, true, exchange);
        assertThat(parsedOnce.prepareQuery(statement, true, exchange)).as(statement).isEqualTo(expected);
        int parameters = (int) expected.chars().filter(c -> c == '?').count();
        assertThat(values(parsedOnce.createPopulateIterator(statement, expected, parameters, exchange, body)))
                .as(statement).isEqualTo(values(camelSql.createPopulateIterator(statement, expected, parameters,
                        exchange, body)));
    }

    private static List<Object> values(Iterator<?> iterator) {
        List<Object> values = new ArrayList<>();
        iterator.forEachRemaining(value -> values.add(value instanceof Iterator<?> nested ? values(nested) : value));
        return values;
    }

    private static Exchange exchange(Map<String, ?> body) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getMessage().setBody(body);
        return exchange;
    }
}
