package com.jodoerp.bridge.webhook;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import com.jodoerp.bridge.flow.Settings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the webhook intake ({@code bridge.webhook.*} in config/application.yaml).
 *
 * @param path           where Jodo posts; {@code <path>/<event-code>} is accepted too
 * @param secret         HMAC secret Jodo signs with (JODO_WEBHOOK_SECRET); empty means loopback-only unsigned mode
 * @param previousSecret the secret being rotated out (JODO_WEBHOOK_SECRET_PREVIOUS), still accepted
 * @param customHeader   the optional header agreed with Jodo at registration
 * @param allowedIps     addresses and CIDRs allowed to post; empty allows any
 * @param trustedProxies proxies whose X-Forwarded-For is believed
 * @param maxBodySize    largest body accepted
 * @param retryAfter     what a 503 asks Jodo to wait before retrying
 * @param bodyTimeout    the longest a request body may take to arrive whole (408 after it)
 * @param minBodyRate    the slowest a body may arrive, per second, once its first second is over (408 below it)
 * @param maxBodiesInFlight the most bytes of bodies held at once, from being read to being answered (503 beyond)
 */
@ConfigurationProperties("bridge.webhook")
public record WebhookProperties(
        String path,
        String secret,
        String previousSecret,
        CustomHeader customHeader,
        List<String> allowedIps,
        List<String> trustedProxies,
        DataSize maxBodySize,
        Duration retryAfter,
        Duration bodyTimeout,
        DataSize minBodyRate,
        DataSize maxBodiesInFlight) {

    /** One or more '/'-led segments the firewall lets through: no '.' or '..' segment, no empty one. */
    private static final Pattern PATH = Pattern.compile("(/(?!\\.{1,2}(?:/|$))[A-Za-z0-9._~-]+)+");

    public WebhookProperties {
        path = Settings.required(path, "bridge.webhook.path");
        secret = secret == null ? "" : secret;
        previousSecret = previousSecret == null ? "" : previousSecret;
        customHeader = customHeader == null ? new CustomHeader("", "") : customHeader;
        allowedIps = allowedIps == null ? List.of() : List.copyOf(allowedIps);
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        maxBodySize = Settings.required(maxBodySize, "bridge.webhook.max-body-size");
        retryAfter = Settings.required(retryAfter, "bridge.webhook.retry-after");
        bodyTimeout = Settings.required(bodyTimeout, "bridge.webhook.body-timeout");
        minBodyRate = Settings.required(minBodyRate, "bridge.webhook.min-body-rate");
        if (bodyTimeout.toMillis() < 100 || bodyTimeout.toSeconds() > 300) {
            throw new IllegalArgumentException("bridge.webhook.body-timeout must be between 100ms and 5m, got "
                    + bodyTimeout);
        }
        if (minBodyRate.isNegative()) {
            throw new IllegalArgumentException("bridge.webhook.min-body-rate must not be negative, got " + minBodyRate);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("bridge.webhook.path must start with '/', got '" + path + "'");
        }
        if (!PATH.matcher(path).matches()) {
            // A trailing '/' would leave Jodo's per-event URLs (<path>/<event-code>) unserved, and an empty, '.' or
            // '..' segment or another character is refused by the web server's firewall before the route sees it.
            throw new IllegalArgumentException("bridge.webhook.path must be segments of letters, digits, '.', '_', '~'"
                    + " or '-', each after a '/', with no '/' at the end, got '" + path + "'");
        }
        if (maxBodySize.toBytes() < 1024 || maxBodySize.toBytes() > DataSize.ofMegabytes(64).toBytes()) {
            throw new IllegalArgumentException("bridge.webhook.max-body-size must be between 1KB and 64MB, got "
                    + maxBodySize);
        }
        maxBodiesInFlight = Settings.required(maxBodiesInFlight, "bridge.webhook.max-bodies-in-flight");
        if (maxBodiesInFlight.toBytes() < maxBodySize.toBytes()
                || maxBodiesInFlight.toBytes() > DataSize.ofGigabytes(1).toBytes()) {
            throw new IllegalArgumentException("bridge.webhook.max-bodies-in-flight must be between"
                    + " bridge.webhook.max-body-size (" + maxBodySize + ") and 1GB, got " + maxBodiesInFlight);
        }
        if (retryAfter.isNegative() || retryAfter.isZero()) {
            throw new IllegalArgumentException("bridge.webhook.retry-after must be positive, got " + retryAfter);
        }
        if (!customHeader.name().isEmpty() && customHeader.value().isEmpty()) {
            throw new IllegalArgumentException("bridge.webhook.custom-header.value (JODO_WEBHOOK_HEADER_VALUE) must be"
                    + " set when bridge.webhook.custom-header.name is '" + customHeader.name() + "'");
        }
    }

    /** An extra header Jodo sends with every delivery, agreed at webhook registration. */
    public record CustomHeader(String name, String value) {
        public CustomHeader {
            name = name == null ? "" : name.trim();
            value = value == null ? "" : value;
        }
    }
}
