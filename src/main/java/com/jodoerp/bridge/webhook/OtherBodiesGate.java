package com.jodoerp.bridge.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Semaphore;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the web server's threads for Jodo's webhooks. A body sent anywhere but in a POST to the webhook path (the
 * sign-in form, the admin API's calls, a scanner's PUT on the webhook URL) is read by the web server on one of its
 * threads, which waits while the body arrives, and whatever the bridge does not read is read to its end afterwards,
 * on the same thread: three hundred clients sending a sign-in form a byte at a time, without any login, held every
 * thread, and webhooks went unanswered (the webhook's own bodies are read without holding a thread:
 * WebhookGateFilter). So at most {@link #AT_ONCE} such requests are let in at a time, each read to its end before it
 * lets the next in; one more is answered 503, a body over {@link #MAX_BYTES} 413 and one of unknown length 411, all
 * three at once, their bodies unread and their connections closed. Operators' bodies are a few hundred bytes, sent
 * whole, so this turns none away in use.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class OtherBodiesGate extends OncePerRequestFilter {

    static final int AT_ONCE = 16;
    static final long MAX_BYTES = 64 * 1024;

    private final Semaphore reading = new Semaphore(AT_ONCE);
    private final String webhookPath;
    private final WebhookAnswers answers;
    /** bench/run.sh's routes (its bare ceiling), when enabled: measured as they are, as security leaves them too. */
    private final boolean bench;

    public OtherBodiesGate(WebhookProperties webhook, WebhookAnswers answers,
                           @Value("${bridge.bench.enabled:false}") boolean bench) {
        this.webhookPath = webhook.path();
        this.answers = answers;
        this.bench = bench;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI().substring(request.getContextPath().length());
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        // Only a POST to the webhook path is read without a thread; any other method there is refused unread (405).
        boolean webhook = "POST".equals(request.getMethod())
                && (uri.equals(webhookPath) || uri.startsWith(webhookPath + "/"));
        return !hasBody || webhook || bench && uri.startsWith("/bench/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length < 0) {
            answerUnread(request, 411, "length_required", "a body outside the webhook path needs a Content-Length");
        } else if (length > MAX_BYTES) {
            answerUnread(request, 413, "payload_too_large", "a body outside the webhook path may have at most "
                    + MAX_BYTES + " bytes");
        } else if (!reading.tryAcquire()) {
            answerUnread(request, 503, "busy", "the bridge is receiving " + AT_ONCE + " request bodies outside the"
                    + " webhook path already; retry shortly");
        } else {
            try {
                chain.doFilter(request, response);
                readToTheEnd(request);
            } finally {
                reading.release();
            }
        }
    }

    /**
     * Answers without reading the body, and closes the connection. Answered as an asynchronous request, because
     * Tomcat reads what is left of a body after an ordinary request (up to 2 MB, as slowly as the client sends it),
     * and skips that only for an asynchronous one whose connection is to close.
     */
    private void answerUnread(HttpServletRequest request, int status, String code, String message) throws IOException {
        AsyncContext async = request.startAsync();
        try {
            HttpServletResponse response = (HttpServletResponse) async.getResponse();
            response.setHeader("Connection", "close");
            if (status == 503) {
                response.setHeader("Retry-After", String.valueOf(WebhookAnswers.NOT_READY_RETRY_SECONDS));
            }
            // Not counted as a refused webhook: it is none.
            answers.writeError(response, status, code, message);
        } finally {
            async.complete();
        }
    }

    /** What the call did not read (a refusal before the body, say) is read here, while this request holds its place. */
    private static void readToTheEnd(HttpServletRequest request) {
        if (request.isAsyncStarted()) {
            return;
        }
        try {
            InputStream body = request.getInputStream();
            byte[] skipped = new byte[4096];
            while (body.read(skipped) >= 0) {
                // nothing to keep
            }
        } catch (IOException | IllegalStateException readAlready) {
            // the client went away, or the call read the body as text: either way, nothing is left to read
        }
    }
}
