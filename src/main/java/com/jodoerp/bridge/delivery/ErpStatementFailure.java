package com.jodoerp.bridge.delivery;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.util.ObjectHelper;

/**
 * A record's write the ERP database refused, naming the statement file it ran ({@code
 * routes/examples/jdbc/mysql/payment.sql}) with the database's words. An integrator adapting the statements to the
 * school's tables meets its mistakes here (a column misspelt, a table not created yet), and the database's message
 * alone quotes a fragment of SQL, not which of the target's twenty files holds it.
 */
final class ErpStatementFailure extends RuntimeException {

    /** camel-sql's endpoint of a statement in a file, as Camel writes its URI: {@code sql://file:<path>?<options>}. */
    private static final Pattern STATEMENT_FILE = Pattern.compile("^sql:(?://)?(?:file|classpath):([^?]+)");

    private final String statement;

    private ErpStatementFailure(String statement, SQLException refusal, Exception failure) {
        super(statement + ": " + refusal.getMessage(), failure);
        this.statement = statement;
    }

    /** The file of the statement the record's route was running when it failed. */
    String statement() {
        return statement;
    }

    /**
     * The failure of a record's statements route: named by its statement file when the database refused a statement
     * read from a file (the route's last endpoint then is that statement's, {@code sql:file:<path>?...}), as it is
     * otherwise (a step of the route failed, or the statement is written in the route itself).
     */
    static Exception of(Exchange written) {
        Exception failure = written.getException();
        SQLException refusal = ObjectHelper.getException(SQLException.class, failure);
        String uri = written.getProperty(ExchangePropertyKey.TO_ENDPOINT, String.class);
        Matcher file = refusal == null || uri == null ? null : STATEMENT_FILE.matcher(uri);
        if (file == null || !file.find()) {
            return failure;
        }
        String path = URLDecoder.decode(file.group(1).replace("+", "%2B"), StandardCharsets.UTF_8);
        return new ErpStatementFailure(path, refusal, failure);
    }
}
