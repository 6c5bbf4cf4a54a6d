package com.jodoerp.bridge.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.jodoerp.bridge.flow.Flow;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Checks that a webhook comes from Jodo: the agreed custom header, if one is configured, and
 * {@code X-Jodo-Signature}, the lowercase hex HMAC-SHA256 of the exact bytes received.
 *
 * <p>With no secret configured the bridge still runs, so a new user can try it with curl, but it then
 * takes unsigned webhooks from loopback only, and none that came through a proxy.
 */
@Component("webhookVerifier")
public class SignatureVerifier {

    public static final String SIGNATURE_HEADER = "X-Jodo-Signature";
    private static final String ALGORITHM = "HmacSHA256";
    private static final Logger log = LoggerFactory.getLogger(SignatureVerifier.class);
    private static final int MIN_SECRET_LENGTH = 16;
    private static final int RECOMMENDED_SECRET_LENGTH = 32;

    private final List<SecretKeySpec> keys = new ArrayList<>();
    private final WebhookProperties.CustomHeader customHeader;

    public SignatureVerifier(WebhookProperties properties) {
        warnIfShort("JODO_WEBHOOK_SECRET", properties.secret());
        warnIfShort("JODO_WEBHOOK_SECRET_PREVIOUS", properties.previousSecret());
        for (String secret : List.of(properties.secret(), properties.previousSecret())) {
            if (!secret.isEmpty()) {
                keys.add(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            }
        }
        this.customHeader = properties.customHeader();
        if (keys.isEmpty()) {
            log.warn("No webhook secret is set (JODO_WEBHOOK_SECRET or JODO_WEBHOOK_SECRET_FILE): unsigned webhooks"
                    + " are accepted from loopback only, never through a proxy (a request with Forwarded or"
                    + " X-Forwarded-For is refused), and refused from anywhere else. Set the secret you registered"
                    + " with Jodo before going live.");
        }
    }

    /**
     * Jodo sets no rule for the secret a school registers, and whoever reaches the webhook path can sign a body with
     * every short secret in turn until one is taken. Warned, not refused: the secret is already registered with Jodo.
     */
    private static void warnIfShort(String variable, String secret) {
        if (!secret.isEmpty() && secret.length() < MIN_SECRET_LENGTH) {
            log.warn("The webhook secret ({}) is {} characters long: whoever can reach the webhook path could try short"
                    + " secrets one by one. Register one of {} random characters or more with Jodo, then set it here"
                    + " (the old one as JODO_WEBHOOK_SECRET_PREVIOUS while Jodo switches).", variable, secret.length(),
                    RECOMMENDED_SECRET_LENGTH);
        }
    }

    /** Throws {@link WebhookRejectedException} unless the webhook is from Jodo. */
    public void verify(Exchange exchange) {
        Message message = exchange.getMessage();
        String client = exchange.getProperty(Flow.REMOTE_ADDRESS, String.class);
        if (!customHeader.name().isEmpty()) {
            sentOnce(message, customHeader.name(), "invalid_header");
            String sent = message.getHeader(customHeader.name(), String.class);
            if (sent == null) {
                throw new WebhookRejectedException(401, "missing_header", "header " + customHeader.name() + " is missing");
            }
            if (!constantTimeEquals(sent.getBytes(StandardCharsets.UTF_8),
                    customHeader.value().getBytes(StandardCharsets.UTF_8))) {
                throw new WebhookRejectedException(401, "invalid_header", "header " + customHeader.name() + " is wrong");
            }
        }
        if (keys.isEmpty()) {
            if (!ClientAddresses.isLoopback(client)) {
                throw new WebhookRejectedException(403, "loopback_only", "this bridge has no webhook secret"
                        + " configured and accepts unsigned webhooks from loopback only");
            }
            // A local reverse proxy makes every outside client look like loopback: what came through one is not
            // local, whatever the peer address says.
            if (message.getHeader("Forwarded") != null || message.getHeader("X-Forwarded-For") != null) {
                throw new WebhookRejectedException(403, "loopback_only", "this bridge has no webhook secret"
                        + " configured and refuses unsigned webhooks that came through a proxy");
            }
            return;
        }
        sentOnce(message, SIGNATURE_HEADER, "invalid_signature");
        String signature = message.getHeader(SIGNATURE_HEADER, String.class);
        if (signature == null || signature.isBlank()) {
            throw new WebhookRejectedException(401, "missing_signature", "header " + SIGNATURE_HEADER + " is missing");
        }
        byte[] body = message.getBody(byte[].class);
        if (!matchesAnyKey(body == null ? new byte[0] : body, signature.trim().toLowerCase(Locale.ROOT))) {
            throw new WebhookRejectedException(401, "invalid_signature", "header " + SIGNATURE_HEADER
                    + " does not match the body: expected the hex HMAC-SHA256 of the exact bytes sent");
        }
    }

    /**
     * A header sent more than once (a proxy or client library adding its own) is refused naming it: which value
     * counts would be a guess, and Camel's binding gives the values as a list that matches no signature.
     */
    private static void sentOnce(Message message, String name, String code) {
        if (message.getHeader(name) instanceof Collection<?> values && values.size() > 1) {
            throw new WebhookRejectedException(401, code, "header " + name + " was sent " + values.size()
                    + " times; send it once");
        }
    }

    private boolean matchesAnyKey(byte[] body, String signature) {
        byte[] sent = signature.getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        // Every key is tried, so the time taken does not tell which one matched.
        for (SecretKeySpec key : keys) {
            matched |= constantTimeEquals(sent, hmacHex(key, body));
        }
        return matched;
    }

    private static byte[] hmacHex(SecretKeySpec key, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static boolean constantTimeEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
