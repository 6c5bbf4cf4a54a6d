package com.jodoerp.bridge.webhook;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jodoerp.bridge.flow.Flow;
import com.jodoerp.bridge.observability.BridgeMetrics;
import com.jodoerp.bridge.observability.EventLogContext;
import com.jodoerp.bridge.observability.StoreHealth;
import com.jodoerp.bridge.store.StoreOutages;
import com.jodoerp.bridge.system.LogPace;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Every answer the webhook endpoint gives, in one place, so each is a small JSON body and none echoes a
 * request header or carries a stack trace.
 */
@Component("webhookAnswers")
public class WebhookAnswers {

    private static final Logger log = LoggerFactory.getLogger(WebhookAnswers.class);
    /** A start or a stop takes seconds, not the minutes a store outage may. */
    static final int NOT_READY_RETRY_SECONDS = 5;

    private final ObjectMapper json = new ObjectMapper();
    private final long retryAfterSeconds;
    private final LogPace outages = new LogPace(Clock.systemUTC());

    private final BridgeMetrics metrics;
    private final StoreHealth store;
    private final RefusalLog refusals;

    public WebhookAnswers(WebhookProperties properties, BridgeMetrics metrics, StoreHealth store, RefusalLog refusals) {
        this.retryAfterSeconds = Math.max(1, properties.retryAfter().toSeconds());
        this.metrics = metrics;
        this.store = store;
        this.refusals = refusals;
    }

    public void accepted(Exchange exchange) {
        store.stored();
        metrics.webhook("accepted");
        answer(exchange.getMessage(), 202, status("accepted", eventId(exchange)));
    }

    public void duplicate(Exchange exchange) {
        store.stored();
        metrics.webhook("duplicate");
        answer(exchange.getMessage(), 200, status("duplicate", eventId(exchange)));
    }

    public void rejected(Exchange exchange) {
        WebhookRejectedException rejection = exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                WebhookRejectedException.class);
        refusals.refused(exchange.getProperty(Flow.REMOTE_ADDRESS, String.class), rejection.code(),
                rejection.getMessage());
        metrics.webhook(rejection.code());
        answer(exchange.getMessage(), rejection.status(), error(rejection.code(), rejection.getMessage()));
    }

    /**
     * The store could not write: its transaction rolled back, or, on the embedded store, the intake journal that
     * makes a commit survive a kill could not be written after it (so the event may be kept after all, and Jodo's
     * retry is then a duplicate). Jodo is asked to come back later. An outage is reported once a minute, not once per
     * request; anything that is not the store is a bug, logged whole.
     */
    public void storeFailed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (!StoreOutages.isOutage(cause)) {
            String eventId = exchange.getProperty(Flow.EVENT_ID, String.class);
            try (EventLogContext about = EventLogContext.about(eventId, null)) {
                log.error("Webhook {} could not be stored", eventId, cause);
            }
        } else {
            store.failed(cause);
            if (outages.due("webhooks")) {
                log.warn("Cannot store webhooks, answering 503 until the database is back: {}",
                        StoreOutages.rootMessage(cause));
            }
        }
        metrics.webhook("store_unavailable");
        Message message = exchange.getMessage();
        answer(message, 503, error("store_unavailable",
                "the bridge cannot store events right now; retry later (if this one was kept all the same, the"
                        + " retry is answered as a duplicate)"));
        message.setHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    public void internalError(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String eventId = exchange.getProperty(Flow.EVENT_ID, String.class);
        try (EventLogContext about = EventLogContext.about(eventId, null)) {
            log.error("Webhook {} failed before it was stored", eventId, cause);
        }
        answer(exchange.getMessage(), 500, error("internal_error",
                "the bridge could not process this webhook; nothing was stored, retry later"));
    }

    /** The bridge is starting or stopping: nothing was read or stored, and Jodo is asked to come back shortly. */
    public void notReady(HttpServletResponse response, String client) throws IOException {
        response.setHeader("Retry-After", String.valueOf(NOT_READY_RETRY_SECONDS));
        write(response, client, 503, "not_ready", "the bridge is starting or stopping; nothing was stored, retry shortly");
    }

    /** The bodies being received already fill bridge.webhook.max-bodies-in-flight (BodyBudget). */
    public void busy(HttpServletResponse response, String client, long limit) throws IOException {
        response.setHeader("Retry-After", String.valueOf(NOT_READY_RETRY_SECONDS));
        write(response, client, 503, "busy", "the bridge holds " + limit + " bytes of webhooks being received already"
                + " (bridge.webhook.max-bodies-in-flight); nothing was stored, retry shortly");
    }

    /** Writes a refusal straight to the servlet response, for checks made before Camel reads the request. */
    public void write(HttpServletResponse response, String client, int status, String code, String message)
            throws IOException {
        refused(client, code, message);
        writeError(response, status, code, message);
    }

    /** Writes the bridge's error body with its status, counted and logged by whoever calls it, if at all. */
    public void writeError(HttpServletResponse response, int status, String code, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(errorJson(code, message));
    }

    /** Logs (a line a minute per reason) and counts a refusal, whoever writes its answer. */
    public void refused(String client, String code, String message) {
        refusals.refused(client, code, message);
        metrics.webhook(code);
    }

    /** The bridge's error body, {@code {"error": code, "message": message}}. */
    public String errorJson(String code, String message) {
        return toJson(error(code, message));
    }

    private void answer(Message message, int status, Map<String, String> body) {
        // Request headers would otherwise be echoed back (X-Jodo-Signature among them).
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(toJson(body));
    }

    private static Map<String, String> status(String status, String eventId) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("event_id", eventId);
        return body;
    }

    private static Map<String, String> error(String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return body;
    }

    private String toJson(Map<String, String> body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }

    private static String eventId(Exchange exchange) {
        return exchange.getProperty(Flow.EVENT_ID, String.class);
    }
}
