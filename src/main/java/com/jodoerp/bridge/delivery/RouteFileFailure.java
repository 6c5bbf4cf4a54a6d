package com.jodoerp.bridge.delivery;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.schibsted.spt.data.jslt.JsltException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.util.ObjectHelper;

/**
 * A record's delivery failed in a file the integrator writes, named with what refused the record there: a jdbc
 * target's statement the ERP database refused ({@code routes/examples/jdbc/mysql/payment.sql: Table ... doesn't
 * exist}), or a rest target's JSLT template that failed on the record ({@code receipt.jslt: number(...) failed: not a
 * number}). An integrator adapting these files meets their mistakes here, and the database's or JSLT's words alone
 * do not say which file to mend: a jdbc target runs twenty, and a failing JSLT function names no place at all.
 */
final class RouteFileFailure extends RuntimeException {

    /** camel-sql's and camel-jslt's endpoints of a file, as Camel writes their URIs: {@code sql://file:<path>?...}. */
    private static final Pattern FILE_ENDPOINT = Pattern.compile("^(sql|jslt):(?://)?(?:file|classpath):([^?]+)");

    private final String file;

    private RouteFileFailure(String file, Exception refusal, Exception failure) {
        super(file + ": " + refusal.getMessage(), failure);
        this.file = file;
    }

    /** The file the record's route was running when it failed. */
    String file() {
        return file;
    }

    /**
     * The failure of a route that went to {@code exchange}'s target: named by the file it was running when the
     * database refused a statement, or the template failed (the route's last endpoint then is that file's, {@code
     * sql:file:<path>?...} or {@code jslt:file:<path>?...}); as it is otherwise (another step failed, or the statement
     * is written in the route itself).
     */
    static Exception of(Exchange exchange) {
        Exception failure = exchange.getException();
        String uri = exchange.getProperty(ExchangePropertyKey.TO_ENDPOINT, String.class);
        Matcher endpoint = uri == null || failure == null ? null : FILE_ENDPOINT.matcher(uri);
        if (endpoint == null || !endpoint.find()) {
            return failure;
        }
        Class<? extends Exception> refuses = endpoint.group(1).equals("sql") ? SQLException.class
                : JsltException.class;
        Exception refusal = ObjectHelper.getException(refuses, failure);
        if (refusal == null) {
            return failure;
        }
        String path = URLDecoder.decode(endpoint.group(2).replace("+", "%2B"), StandardCharsets.UTF_8);
        return new RouteFileFailure(path, refusal, failure);
    }
}
