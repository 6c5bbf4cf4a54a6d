package com.jodoerp.bridge.webhook;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;

/**
 * Works out who is really posting, and whether they may.
 *
 * <p>{@code X-Forwarded-For} is believed only when the connection comes from a configured proxy, and then
 * only up to the first hop that is not itself a trusted proxy: anything further left was written by the
 * client and could say anything.
 */
@Component
public class ClientAddresses {

    private static final List<IpRange> LOOPBACK = List.of(IpRange.parse("127.0.0.0/8"), IpRange.parse("::1"));

    private final List<IpRange> allowed;
    private final List<IpRange> trustedProxies;

    public ClientAddresses(WebhookProperties properties) {
        this.allowed = parseAll("bridge.webhook.allowed-ips", properties.allowedIps());
        this.trustedProxies = parseAll("bridge.webhook.trusted-proxies", properties.trustedProxies());
        for (int i = 0; i < trustedProxies.size(); i++) {
            if (trustedProxies.get(i).everyAddress()) {
                // Every hop would then be believed, down to the first, which the client writes itself.
                throw new IllegalArgumentException("bridge.webhook.trusted-proxies[" + i + "]: '"
                        + properties.trustedProxies().get(i) + "' trusts every address, so any client could name any"
                        + " address in X-Forwarded-For and pass bridge.webhook.allowed-ips; list the proxies' own"
                        + " addresses or blocks");
            }
        }
    }

    public String resolve(HttpServletRequest request) {
        String client = request.getRemoteAddr();
        if (!anyContains(trustedProxies, client)) {
            return client;
        }
        List<String> hops = forwardedHops(request);
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (IpRange.literal(hop) == null) {
                // A hop we cannot read ends what we can vouch for: keep the last proxy we trust.
                return client;
            }
            client = hop;
            if (!anyContains(trustedProxies, hop)) {
                return hop;
            }
        }
        return client;
    }

    public boolean allowed(String address) {
        return allowed.isEmpty() || anyContains(allowed, address);
    }

    public static boolean isLoopback(String address) {
        return anyContains(LOOPBACK, address);
    }

    private static List<String> forwardedHops(HttpServletRequest request) {
        List<String> hops = new ArrayList<>();
        var headers = request.getHeaders("X-Forwarded-For");
        while (headers != null && headers.hasMoreElements()) {
            for (String hop : headers.nextElement().split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.trim());
                }
            }
        }
        return hops;
    }

    private static boolean anyContains(List<IpRange> ranges, String address) {
        for (IpRange range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static List<IpRange> parseAll(String setting, List<String> values) {
        List<IpRange> ranges = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            try {
                ranges.add(IpRange.parse(values.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(setting + "[" + i + "]: " + e.getMessage(), e);
            }
        }
        return List.copyOf(ranges);
    }
}
