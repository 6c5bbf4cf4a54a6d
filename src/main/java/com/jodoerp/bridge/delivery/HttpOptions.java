package com.jodoerp.bridge.delivery;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Map;

import com.jodoerp.bridge.system.JdbcUrls;

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
        requireAddress(at, url, example);
        Map<String, String> parameters = new HashMap<>(options);
        parameters.put("url", url.replaceAll("/+$", ""));
        parameters.put("connect-timeout-ms", String.valueOf(RestTarget.duration(at + "connect-timeout",
                options.getOrDefault("connect-timeout", "5s"))));
        parameters.put("read-timeout-ms", String.valueOf(RestTarget.duration(at + "read-timeout",
                options.getOrDefault("read-timeout", "30s"))));
        return parameters;
    }

    /** An http(s) address with a host Camel's HTTP endpoint can reach; else a refusal naming the setting. */
    private static void requireAddress(String at, String url, String example) {
        URI address = address(url);
        // The address without what may carry a login (user info, parameters): these messages go to the log.
        String shown = JdbcUrls.shown(url);
        String authority = address == null || address.getRawAuthority() == null ? ""
                : address.getRawAuthority().replaceFirst("^[^@]*@", "").replaceFirst(":\\d*$", "");
        if (!url.startsWith("http://") && !url.startsWith("https://") || authority.isEmpty()) {
            throw new IllegalArgumentException(at + "url must start with http:// or https:// and name a host (such as "
                    + example + "), got '" + shown + "'");
        }
        if (address.getRawUserInfo() != null) {
            // The HTTP client refuses such an address at every call ("deprecated userinfo component"), retried until
            // each record is a dead letter.
            throw new IllegalArgumentException(at + "url: '" + shown + "' is given with a login before its host"
                    + " (user@host, left out here), which the HTTP client never sends: put it in the target's own"
                    + " options (auth, username, password)");
        }
        if (address.getHost() == null) {
            // Camel's HTTP endpoint reads the host as Java does, finds none, and fails every delivery ("http:/api").
            throw new IllegalArgumentException(at + "url: the host in '" + shown + "' is not one the HTTP client takes:"
                    + " a host name holds letters, digits, '-' and '.' (a Docker service name with '_' needs an alias"
                    + " without one)");
        }
    }

    /** The url as an address, or null when it is none at all (a space in it). */
    private static URI address(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
