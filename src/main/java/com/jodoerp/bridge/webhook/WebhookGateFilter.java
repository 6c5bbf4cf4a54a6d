package com.jodoerp.bridge.webhook;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The checks that must happen before Camel's HTTP binding touches the request: whether the intake is up at all (503
 * while starting or stopping), the source address (403),
 * the content type (415: a form content type makes the binding parse the body and fail with a 500) and
 * the size (413: the binding would otherwise read any body whole). The body is read here, bounded,
 * and handed on as the exact bytes received.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class WebhookGateFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(WebhookGateFilter.class);

    private final String path;
    private final long maxBodyBytes;
    private final ClientAddresses addresses;
    private final WebhookAnswers answers;
    private final IntakeReadiness readiness;

    public WebhookGateFilter(WebhookProperties properties, ClientAddresses addresses, WebhookAnswers answers,
                             IntakeReadiness readiness) {
        this.path = properties.path();
        this.maxBodyBytes = properties.maxBodySize().toBytes();
        this.addresses = addresses;
        this.answers = answers;
        this.readiness = readiness;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI().substring(request.getContextPath().length());
        return !"POST".equals(request.getMethod()) || !(uri.equals(path) || uri.startsWith(path + "/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!readiness.accepting()) {
            answers.notReady(response);
            return;
        }
        String client = addresses.resolve(request);
        request.setAttribute(WebhookExchange.CLIENT_ADDRESS_ATTRIBUTE, client);
        if (!addresses.allowed(client)) {
            log.info("Refused webhook from {}: address not on bridge.webhook.allowed-ips", client);
            answers.write(response, 403, "ip_not_allowed", "source address " + client + " is not allowed to post webhooks");
            return;
        }
        if (!isJson(request.getContentType())) {
            answers.write(response, 415, "unsupported_media_type",
                    "Content-Type must be application/json, got " + describe(request.getContentType()));
            return;
        }
        if (request.getContentLengthLong() > maxBodyBytes) {
            refuseTooLarge(response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            refuseTooLarge(response);
            return;
        }
        chain.doFilter(new ReadBodyRequest(request, body), response);
    }

    private void refuseTooLarge(HttpServletResponse response) throws IOException {
        answers.write(response, 413, "payload_too_large",
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

    private static String describe(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return "none";
        }
        String shown = contentType.length() > 80 ? contentType.substring(0, 80) + "..." : contentType;
        return "'" + shown.replaceAll("[\\p{Cntrl}]", "?") + "'";
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

        private final InputStream bytes;

        BytesInputStream(InputStream bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() throws IOException {
            return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return bytes.read(buffer, offset, length);
        }

        @Override
        public boolean isFinished() {
            try {
                return bytes.available() == 0;
            } catch (IOException e) {
                return true;
            }
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
