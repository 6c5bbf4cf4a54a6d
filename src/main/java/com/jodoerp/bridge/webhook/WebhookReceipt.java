package com.jodoerp.bridge.webhook;

import java.time.Clock;
import java.time.Instant;

import com.jodoerp.bridge.flow.Flow;
import jakarta.servlet.http.HttpServletRequest;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.converter.stream.InputStreamCache;
import org.springframework.stereotype.Component;

/** First step of the intake: notes when and from where a webhook came, and fixes its body as raw bytes. */
@Component("webhookReceipt")
public class WebhookReceipt {

    private static final String SERVLET_REQUEST_HEADER = "CamelHttpServletRequest";

    private final Clock clock;

    public WebhookReceipt(Clock clock) {
        this.clock = clock;
    }

    public void stamp(Exchange exchange) {
        Message message = exchange.getMessage();
        exchange.setProperty(Flow.RECEIVED_AT, Instant.now(clock));
        HttpServletRequest request = message.getHeader(SERVLET_REQUEST_HEADER, HttpServletRequest.class);
        Object client = request == null ? null : request.getAttribute(WebhookGateFilter.CLIENT_ADDRESS_ATTRIBUTE);
        if (client == null) {
            // The gate filter sets the address on every webhook request; without it the request skipped the gate.
            throw new IllegalStateException("webhook request did not pass WebhookGateFilter");
        }
        exchange.setProperty(Flow.REMOTE_ADDRESS, client.toString());
        byte[] body = bodyBytes(message);
        message.setBody(body == null ? new byte[0] : body);
    }

    /**
     * The binding hands the body over in Camel's in-memory stream cache. Read directly, it is one copy of the body;
     * Camel's generic stream-to-bytes conversion would wrap it in 24 KB of buffers for a body of a few hundred bytes.
     */
    private static byte[] bodyBytes(Message message) {
        if (message.getBody() instanceof InputStreamCache cached) {
            cached.reset();
            return cached.readAllBytes();
        }
        return message.getBody(byte[].class);
    }
}
