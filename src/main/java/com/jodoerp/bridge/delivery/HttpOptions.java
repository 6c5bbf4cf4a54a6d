package com.jodoerp.bridge.delivery;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Map;

/**
 * The options every HTTP transport (rest, erpnext, tally) checks the same way: {@code url} (http or https), and
 * {@code connect-timeout} and {@code read-timeout} as durations, handed to the template in milliseconds.
 */
final class HttpOptions {

    private HttpOptions() {
    }

    /** The template's parameters: the options, the url without its trailing slash, and the timeouts in ms. */
    static Map<String, String> parameters(String target, Map<String, String> options, String example) {
        String at = "bridge.targets." + target + ".options.";
        String url = Transport.required(target, options, "url");
        if (!url.startsWith("http://") && !url.startsWith("https://") || host(url) == null) {
            // The address as given, but never a password written into it: this message goes to the log.
            throw new IllegalArgumentException(at + "url must start with http:// or https:// and name a host (such as "
                    + example + "), got '" + url.replaceFirst("^([a-z]+://)[^/@]*@", "$1...@") + "'");
        }
        Map<String, String> parameters = new HashMap<>(options);
        parameters.put("url", url.replaceAll("/+$", ""));
        parameters.put("connect-timeout-ms", String.valueOf(RestTarget.duration(at + "connect-timeout",
                options.getOrDefault("connect-timeout", "5s"))));
        parameters.put("read-timeout-ms", String.valueOf(RestTarget.duration(at + "read-timeout",
                options.getOrDefault("read-timeout", "30s"))));
        return parameters;
    }

    /** The address's host, or null when it names none ({@code http://}) or is not an address at all. */
    private static String host(String url) {
        try {
            return new URI(url).getHost();
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
