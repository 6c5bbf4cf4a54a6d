package com.jodoerp.bridge.webhook;

import java.io.IOException;
import java.io.Writer;

import org.apache.catalina.Context;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Requests Tomcat refuses before the bridge sees them (a request line with characters HTTP does not allow, an
 * encoded slash or {@code ..} in the path, a malformed header) are answered in the bridge's JSON error shape,
 * {@code {"error": "bad_request", "message": ...}}, like every refusal of the bridge's own, instead of Tomcat's HTML
 * page: a client or an operator reading the answer learns what was wrong, and nothing names the server. CONNECT, which
 * Tomcat refuses itself, is answered as the firewall answers TRACE: 405 with the Allow header.
 *
 * <p>Spring Boot puts an HTML report valve on the host (without details); this replaces it, after Spring Boot's own
 * customizer has run. Errors that reach Spring keep Spring's handling: this answers only what nobody else wrote.
 *
 * <p>While the bridge stops, what Tomcat refuses is answered as the intake answers then: 503 {@code not_ready} with
 * Retry-After. Graceful shutdown pauses Tomcat's connector, and a request whose line Tomcat reads just as the pause
 * begins is refused with its headers unread: a 503 without Retry-After, or, for want of the Host header it did not
 * read, a 400, which tells Jodo a valid webhook is wrong (seen once in about 3,300 webhooks across two restarts).
 */
@Component
public class JsonErrorReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private final WebhookAnswers answers;
    private final String webhookPath;
    private final IntakeReadiness readiness;

    public JsonErrorReports(WebhookAnswers answers, WebhookProperties webhook, IntakeReadiness readiness) {
        this.answers = answers;
        this.webhookPath = webhook.path();
        this.readiness = readiness;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(this::replaceHostReport);
    }

    @Override
    public int getOrder() {
        // After Spring Boot's TomcatWebServerFactoryCustomizer, which adds the HTML valve this one replaces.
        return Ordered.LOWEST_PRECEDENCE;
    }

    private void replaceHostReport(Context context) {
        Host host = (Host) context.getParent();
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve) {
                host.getPipeline().removeValve(valve);
            }
        }
        host.getPipeline().addValve(new JsonReportValve(answers, webhookPath, readiness));
        // The host adds a valve of this class at start unless one is there already.
        if (host instanceof StandardHost standard) {
            standard.setErrorReportValveClass(JsonReportValve.class.getName());
        }
    }

    /**
     * Writes the bridge's error body for an error status nothing has answered, and logs and counts a 400 the way the
     * bridge's own refusals are (a line a minute at most, the rule but not the value: Tomcat's own line, which quotes
     * the refused request line or header, is kept out of the log in application.yaml).
     */
    public static class JsonReportValve extends ErrorReportValve {

        private final WebhookAnswers answers;
        private final String webhookPath;
        private final IntakeReadiness readiness;

        JsonReportValve(WebhookAnswers answers, String webhookPath, IntakeReadiness readiness) {
            this.answers = answers;
            this.webhookPath = webhookPath;
            this.readiness = readiness;
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            try {
                if (!readiness.accepting()) {
                    answers.notReady(response, request.getRemoteAddr());
                    response.finishResponse();
                    return;
                }
                if (status == 501 && !FirewallRefusals.METHODS.contains(request.getMethod())) {
                    // Tomcat refuses CONNECT itself, before the firewall: a method the bridge does not answer, as
                    // TRACE is, not a Transfer-Encoding it cannot decode (what its 501 otherwise means).
                    status = 405;
                    response.setStatus(status);
                    response.setHeader(HttpHeaders.ALLOW, FirewallRefusals.ALLOWED);
                }
                String code = ErrorAnswers.code(status);
                String message = status == 400 ? refusedBecause(throwable)
                        : status == 405 ? FirewallRefusals.METHOD_REFUSED : ErrorAnswers.message(status, webhookPath);
                response.setContentType("application/json");
                response.setCharacterEncoding("UTF-8");
                Writer writer = response.getReporter();
                if (writer != null) {
                    if (status == 400 || status == 405) {
                        answers.refused(request.getRemoteAddr(), code, message);
                    }
                    writer.write(answers.errorJson(code, message));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException clientGone) {
                // Nothing more can be said to a client whose connection is gone or whose answer has begun.
            }
        }

        /** Tomcat's reason, when it gives one, names the rule broken; never the value that broke it. */
        private static String refusedBecause(Throwable throwable) {
            String reason = throwable == null || throwable.getMessage() == null
                    ? "its request line, a header or its path is not valid HTTP (an encoded '/' or '..' in the path"
                    + " is refused)" : ErrorAnswers.withoutValues(throwable.getMessage());
            return "the request was refused before it reached the bridge: " + reason;
        }
    }
}
