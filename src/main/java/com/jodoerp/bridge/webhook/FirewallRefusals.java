package com.jodoerp.bridge.webhook;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;

/**
 * Requests Spring Security's firewall refuses (a method such as TRACE, a path with {@code //}, {@code ;} or an
 * encoded {@code %}, control characters in a header) are answered in the bridge's JSON error shape and logged like the
 * bridge's other refusals. Left to Spring Security, they got a 400 with an empty body. The firewall's own message is
 * not repeated: it quotes the refused header or path, which may carry a parent's details.
 */
@Component
public class FirewallRefusals implements RequestRejectedHandler {

    /** What the firewall lets through (StrictHttpFirewall's default); any other method is what it refused. */
    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** The Allow header of a refused method's answer, and its message. */
    static final String ALLOWED = String.join(", ", METHODS.stream().sorted().toList());
    static final String METHOD_REFUSED = "the bridge answers GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS only";

    private final WebhookAnswers answers;
    private final ClientAddresses addresses;

    public FirewallRefusals(WebhookAnswers answers, ClientAddresses addresses) {
        this.answers = answers;
        this.addresses = addresses;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        String client = addresses.resolve(request);
        if (!METHODS.contains(request.getMethod())) {
            response.setHeader(HttpHeaders.ALLOW, ALLOWED);
            answers.write(response, client, 405, "method_not_allowed", METHOD_REFUSED);
            return;
        }
        answers.write(response, client, 400, "bad_request", "the request was refused before it reached the bridge:"
                + " its path or a header holds a character or sequence the bridge does not accept (such as '//',"
                + " ';', '..', an encoded '%', '/' or '.', or a control character)");
    }
}
