package com.jodoerp.bridge.webhook;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The checks that must happen before Camel's HTTP binding touches the request: whether the intake is up at all (503
 * while starting or stopping), the source address (403), the content type (415: a form content type makes the
 * binding parse the body and fail with a 500), a compressed body (415: the binding would inflate it without bound),
 * the size (413: the binding would otherwise read any body whole) and the room left for bodies (503, BodyBudget).
 * The body is read here, bounded in size and in time (408), without blocking a thread while it arrives, and handed on
 * as the exact bytes received.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class WebhookGateFilter extends OncePerRequestFilter {

    /** Request attribute where the gate leaves the resolved client address for the intake route. */
    static final String CLIENT_ADDRESS_ATTRIBUTE = "com.jodoerp.bridge.clientAddress";
    /** Where the body read without blocking waits for the dispatch that hands it on. */
    private static final String BODY_ATTRIBUTE = "com.jodoerp.bridge.webhookBody";
    /** Where the body's hold on the budget waits for the dispatch that hands it on. */
    private static final String HOLD_ATTRIBUTE = "com.jodoerp.bridge.webhookBodyHold";

    private final String path;
    private final long maxBodyBytes;
    private final long bodyTimeoutMs;
    private final long minBodyBytesPerSecond;
    private final ClientAddresses addresses;
    private final WebhookAnswers answers;
    private final IntakeReadiness readiness;
    private final BodyBudget budget;

    public WebhookGateFilter(WebhookProperties properties, ClientAddresses addresses, WebhookAnswers answers,
                             IntakeReadiness readiness, BodyBudget budget) {
        this.path = properties.path();
        this.maxBodyBytes = properties.maxBodySize().toBytes();
        this.bodyTimeoutMs = properties.bodyTimeout().toMillis();
        this.minBodyBytesPerSecond = properties.minBodyRate().toBytes();
        this.addresses = addresses;
        this.answers = answers;
        this.readiness = readiness;
        this.budget = budget;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI().substring(request.getContextPath().length());
        return !"POST".equals(request.getMethod()) || !(uri.equals(path) || uri.startsWith(path + "/"));
    }

    /** The body is read without holding a thread; the request comes back here, dispatched again, once it is whole. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            byte[] body = (byte[]) request.getAttribute(BODY_ATTRIBUTE);
            BodyBudget.Hold hold = (BodyBudget.Hold) request.getAttribute(HOLD_ATTRIBUTE);
            try {
                chain.doFilter(body == null ? request : new ReadBodyRequest(request, body), response);
            } finally {
                if (hold != null) {
                    hold.releaseWhenDone(request);
                }
            }
            return;
        }
        String client = addresses.resolve(request);
        if (!readiness.accepting()) {
            answers.notReady(response, client);
            return;
        }
        request.setAttribute(CLIENT_ADDRESS_ATTRIBUTE, client);
        if (!addresses.allowed(client)) {
            answers.write(response, client, 403, "ip_not_allowed", "source address " + client
                    + " is not allowed to post webhooks");
            return;
        }
        if (!isJson(request.getContentType())) {
            answers.write(response, client, 415, "unsupported_media_type",
                    "Content-Type must be application/json, got " + describe(request.getContentType()));
            return;
        }
        String coding = contentCoding(request);
        if (coding != null) {
            // Camel's HTTP binding would inflate a gzip or deflate body whole, past the size limit (a few hundred KB
            // of gzip fill the heap), and the signature is over the bytes Jodo sent, which Jodo does not compress.
            response.setHeader("Accept-Encoding", "identity");
            answers.write(response, client, 415, "unsupported_content_encoding", "Content-Encoding "
                    + describe(coding) + " is not taken: send the body as it is, uncompressed");
            return;
        }
        if (request.getContentLengthLong() > maxBodyBytes) {
            refuseTooLarge(response, client);
            return;
        }
        long length = request.getContentLengthLong();
        // A body takes its room in the budget as its bytes arrive, not as announced: a client that announces a large
        // body and sends nothing holds a connection, never room that valid webhooks need.
        BodyBudget.Hold hold = budget.hold();
        boolean handedOn = false;
        try {
            // A webhook's body (a few KB) usually arrives with its headers. What the container already holds is taken
            // now, without waiting on the client; when that is the whole body the request goes on as it is, rather
            // than being dispatched a second time (which ran every filter and the MVC mapping again for each webhook).
            ByteArrayOutputStream arrived = alreadyArrived(request.getInputStream(), length, hold);
            if (arrived == null) {
                answers.busy(response, client, budget.limit());
                return;
            }
            if (arrived.size() == length) {
                chain.doFilter(new ReadBodyRequest(request, arrived.toByteArray()), response);
                hold.releaseWhenDone(request);
                handedOn = true;
                return;
            }
            // The rest is read as it arrives, on no thread of ours: a client that sends slowly (or not at all) holds a
            // connection, never a thread that a valid webhook needs. The container ends what is not whole in time.
            AsyncContext async = request.startAsync();
            async.setTimeout(bodyTimeoutMs);
            request.setAttribute(HOLD_ATTRIBUTE, hold);
            BodyReader reader = new BodyReader(request, async, client, arrived, hold);
            async.addListener(reader);
            request.getInputStream().setReadListener(reader);
            handedOn = true;
        } finally {
            if (!handedOn) {
                hold.release();
            }
        }
    }

    /** Collects one body as it arrives; exactly one of: dispatched on, 413, 408, 503 (no room), or the client gone. */
    private final class BodyReader implements ReadListener, AsyncListener {

        private final HttpServletRequest request;
        private final AsyncContext async;
        private final String client;
        private final ByteArrayOutputStream body;
        private final BodyBudget.Hold hold;
        private final long startedAt = System.nanoTime();
        private final AtomicBoolean finished = new AtomicBoolean();

        BodyReader(HttpServletRequest request, AsyncContext async, String client, ByteArrayOutputStream arrived,
                   BodyBudget.Hold hold) {
            this.request = request;
            this.async = async;
            this.client = client;
            this.body = arrived;
            this.hold = hold;
        }

        @Override
        public void onDataAvailable() throws IOException {
            ServletInputStream in = request.getInputStream();
            byte[] chunk = new byte[8192];
            while (!finished.get() && in.isReady()) {
                int read = in.read(chunk);
                if (read < 0) {
                    return;
                }
                body.write(chunk, 0, read);
                if (body.size() > maxBodyBytes) {
                    refuse(413, "payload_too_large", "body is larger than the limit of " + maxBodyBytes
                            + " bytes (bridge.webhook.max-body-size)");
                    return;
                }
                if (!hold.growTo(body.size())) {
                    answer(response -> answers.busy(response, client, budget.limit()));
                    return;
                }
            }
            long elapsedMs = (System.nanoTime() - startedAt) / 1_000_000;
            if (elapsedMs > 1_000 && body.size() * 1_000L < minBodyBytesPerSecond * elapsedMs) {
                tooSlow();
            }
        }

        @Override
        public void onAllDataRead() {
            if (finished.compareAndSet(false, true)) {
                request.setAttribute(BODY_ATTRIBUTE, body.toByteArray());
                async.dispatch();
            }
        }

        @Override
        public void onError(Throwable failure) {
            // The client went away mid-body: there is nobody to answer.
            if (finished.compareAndSet(false, true)) {
                hold.release();
                async.complete();
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            tooSlow();
        }

        private void tooSlow() {
            refuse(408, "body_timeout", "the body did not arrive within " + bodyTimeoutMs + " ms at "
                    + minBodyBytesPerSecond + " bytes per second or more (bridge.webhook.body-timeout,"
                    + " min-body-rate)");
        }

        private void refuse(int status, String code, String message) {
            answer(response -> answers.write(response, client, status, code, message));
        }

        private void answer(Answer refusal) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            try {
                HttpServletResponse response = (HttpServletResponse) async.getResponse();
                response.setHeader("Connection", "close");
                refusal.write(response);
            } catch (IOException | IllegalStateException clientGone) {
                // nothing to answer to
            } finally {
                hold.release();
                async.complete();
            }
        }

        /** The request ended without starting another async cycle (see BodyBudget.Hold.releaseWhenDone). */
        @Override
        public void onComplete(AsyncEvent event) {
            hold.release();
        }

        @Override
        public void onError(AsyncEvent event) {
            onError(event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }

    /**
     * The part of a body of known length that the container has already received: read only while it says bytes
     * are there, so this never waits for the client. Unknown length (chunked): nothing. Null when the budget has no
     * room for the next part (each part takes its room before it is read).
     */
    private static ByteArrayOutputStream alreadyArrived(ServletInputStream in, long length, BodyBudget.Hold hold)
            throws IOException {
        // Sized by what arrives, not by what the client announces: a connection that declares a large body and
        // sends nothing must cost no memory while it waits for its 408.
        // Each read takes what the container holds at most (a few hundred bytes for a typical webhook), so this
        // allocates about the body's size rather than a fixed 8 KB chunk per request.
        ByteArrayOutputStream arrived = new ByteArrayOutputStream(0);
        int available;
        while (length >= 0 && arrived.size() < length && (available = in.available()) > 0) {
            byte[] chunk = new byte[(int) Math.min(Math.min(available, 8192), length - arrived.size())];
            if (!hold.growTo(arrived.size() + chunk.length)) {
                return null;
            }
            int read = in.read(chunk, 0, chunk.length);
            if (read < 0) {
                break;
            }
            arrived.write(chunk, 0, read);
        }
        return arrived;
    }

    private void refuseTooLarge(HttpServletResponse response, String client) throws IOException {
        answers.write(response, client, 413, "payload_too_large",
                "body is larger than the limit of " + maxBodyBytes + " bytes (bridge.webhook.max-body-size)");
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    /** The body's content coding, when it has one other than identity (RFC 9110: identity is the body as it is). */
    private static String contentCoding(HttpServletRequest request) {
        for (String header : Collections.list(request.getHeaders("Content-Encoding"))) {
            for (String coding : header.split(",")) {
                if (!coding.isBlank() && !coding.trim().equalsIgnoreCase("identity")) {
                    return coding.trim();
                }
            }
        }
        return null;
    }

    private static String describe(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return "none";
        }
        String shown = contentType.length() > 80 ? contentType.substring(0, 80) + "..." : contentType;
        return "'" + shown.replaceAll("[\\p{Cntrl}]", "?") + "'";
    }

    /** A refusal written to the response of a body being read. */
    @FunctionalInterface
    private interface Answer {
        void write(HttpServletResponse response) throws IOException;
    }

    /** The request as the rest of the chain sees it: the same bytes, already read once, read again. */
    private static final class ReadBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        ReadBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            return new BytesInputStream(new ByteArrayInputStream(body));
        }

        @Override
        public BufferedReader getReader() {
            Charset charset = getCharacterEncoding() == null || !Charset.isSupported(getCharacterEncoding())
                    ? StandardCharsets.UTF_8 : Charset.forName(getCharacterEncoding());
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
        }
    }

    private static final class BytesInputStream extends ServletInputStream {

        private final ByteArrayInputStream bytes;

        BytesInputStream(ByteArrayInputStream bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            return bytes.read(buffer, offset, length);
        }

        // Camel's HTTP binding copies the body into its stream cache with transferTo, which for a plain InputStream
        // allocates a 16 KB buffer per request; the bytes are in memory already, so they are written in one go.
        @Override
        public long transferTo(OutputStream out) throws IOException {
            return bytes.transferTo(out);
        }

        @Override
        public byte[] readAllBytes() {
            return bytes.readAllBytes();
        }

        @Override
        public int available() {
            return bytes.available();
        }

        @Override
        public boolean isFinished() {
            return bytes.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("the body is already in memory");
        }
    }
}
