package com.jodoerp.bridge.webhook;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.coyote.BadRequestException;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.web.servlet.error.DefaultErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;

/**
 * Errors Spring answers itself (a path nothing serves, a method a path does not take, a fault outside the routes)
 * in the bridge's error shape, {@code {"error": "method_not_allowed", "message": ..., "status": 405, "timestamp": ...}},
 * like every refusal of the bridge's own, instead of Spring's ({@code "error": "Method Not Allowed"}, the path): clients
 * read one shape, and the requested path, which may carry a parent's details in its query, is not echoed.
 */
@Component
public class ErrorAnswers extends DefaultErrorAttributes {

    private static final int MAX_REASON = 300;

    private final String webhookPath;

    public ErrorAnswers(WebhookProperties webhook) {
        this.webhookPath = webhook.path();
    }

    /** The container's reason when the request failed because its body's HTTP framing is broken; else null. */
    private static String unreadableBody(HttpServletRequest request) {
        return request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof BadRequestException broken
                ? withoutValues(String.valueOf(broken.getMessage())) : null;
    }

    /**
     * The status the bridge answers where Spring's would be wrong, else null: 400 for a body whose framing is broken
     * (Spring says 500), and 404 for the error path asked for as a path of its own rather than reached by the
     * container's error dispatch of a failed request, which always names a status (Spring says 500 there too).
     */
    static HttpStatus ownStatus(HttpServletRequest request) {
        if (unreadableBody(request) != null) {
            return HttpStatus.BAD_REQUEST;
        }
        return request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) == null ? HttpStatus.NOT_FOUND : null;
    }

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
        Map<String, Object> spring = super.getErrorAttributes(request, ErrorAttributeOptions.defaults());
        HttpServletRequest servlet = request instanceof ServletWebRequest web ? web.getRequest() : null;
        String unreadable = servlet == null ? null : unreadableBody(servlet);
        HttpStatus own = servlet == null ? null : ownStatus(servlet);
        int status = own != null ? own.value() : spring.get("status") instanceof Integer number ? number : 500;
        Map<String, Object> body = new LinkedHashMap<>();
        if (unreadable != null) {
            body.put("error", "invalid_body");
            body.put("message", "the body is not valid HTTP framing: " + unreadable);
        } else {
            body.put("error", code(status));
            body.put("message", message(status, webhookPath));
        }
        body.put("status", status);
        // Spring's HTML error page, which a browser gets, prints it.
        body.put("timestamp", spring.get("timestamp"));
        return body;
    }

    /** An error status as the bridge's error code: {@code method_not_allowed} for 405. */
    static String code(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "error" : known.name().toLowerCase();
    }

    /** What an error status means, in the bridge's words where it has some ({@code webhookPath}: where Jodo posts). */
    static String message(int status, String webhookPath) {
        HttpStatus known = HttpStatus.resolve(status);
        return switch (status) {
            case 404 -> "nothing is served at this path (webhooks go to POST " + webhookPath + ")";
            case 405 -> "this path does not take this method (the Allow header lists those it takes)";
            // The admin API's calls (the webhook's own 415s say more: WebhookGateFilter). curl -d sends a form.
            case 415 -> "this call reads its body as JSON: send it with Content-Type: application/json";
            case 406 -> "this path answers in no type the Accept header takes: send no Accept header, or one with */*";
            case 500 -> "the bridge could not answer this request; nothing was stored by it";
            // Tomcat's answer to a Transfer-Encoding it has no decoder for (gzip, compress, ...).
            case 501 -> "the body's Transfer-Encoding is not one the bridge reads: send it with a Content-Length, or"
                    + " chunked alone";
            default -> known == null ? "HTTP status " + status : known.getReasonPhrase();
        };
    }

    /**
     * A container's reason for refusing a request, without the refused value: Tomcat quotes it in brackets ("the
     * request target [/webhooks/jodo?phone=...]"), and a header or a query can carry a parent's details, so
     * everything from the first bracket to the last goes.
     */
    static String withoutValues(String reason) {
        int open = reason.indexOf('[');
        int close = reason.lastIndexOf(']');
        // "headers, [100], were detected" reads "headers, were detected" once the value is gone.
        String named = open >= 0 && close > open
                ? reason.substring(0, open).stripTrailing() + reason.substring(close + 1) : reason;
        named = named.replace(",,", ",");
        return named.length() > MAX_REASON ? named.substring(0, MAX_REASON) + "..." : named;
    }
}
