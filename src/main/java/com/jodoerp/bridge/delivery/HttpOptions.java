package com.jodoerp.bridge.delivery;

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
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException(at + "url must start with http:// or https:// (such as " + example
                    + "), got '" + url + "'");
        }
        Map<String, String> parameters = new HashMap<>(options);
        parameters.put("url", url.replaceAll("/+$", ""));
        parameters.put("connect-timeout-ms", String.valueOf(RestTarget.duration(at + "connect-timeout",
                options.getOrDefault("connect-timeout", "5s"))));
        parameters.put("read-timeout-ms", String.valueOf(RestTarget.duration(at + "read-timeout",
                options.getOrDefault("read-timeout", "30s"))));
        return parameters;
    }
}
