package com.jodoerp.bridge.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.jodoerp.bridge.deadletters.AuditFilter;
import com.jodoerp.bridge.deadletters.OperatorActions;
import com.jodoerp.bridge.webhook.ClientAddresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Operator logins, watched: every failure is logged (the user name as typed, never the password) and audited, and
 * counted by {@link LoginThrottle}; a login that the throttle has locked is answered 429 with Retry-After before
 * its password is checked.
 */
@Component
public class OperatorLogins {

    private static final Logger log = LoggerFactory.getLogger(OperatorLogins.class);
    private static final int MAX_NAME = 64;

    private final LoginThrottle throttle;
    private final OperatorActions actions;
    private final ClientAddresses addresses;

    public OperatorLogins(LoginThrottle throttle, OperatorActions actions, ClientAddresses addresses) {
        this.throttle = throttle;
        this.actions = actions;
        this.addresses = addresses;
    }

    @EventListener
    public void failed(AbstractAuthenticationFailureEvent event) {
        String user = printable(event.getAuthentication().getName());
        String address = currentAddress();
        int inARow = throttle.failed(user, address);
        Duration locked = throttle.lockedFor(user, address);
        log.warn("Operator login failed for '{}' from {}: {} ({} in a row{})", user, address,
                event.getException().getClass().getSimpleName(), inARow,
                locked.isZero() ? "" : "; logins locked for " + wholeSeconds(locked) + " s");
        actions.audit(user, AuditFilter.LOGIN_FAILED, "from " + address, 0, null);
    }

    @EventListener
    public void succeeded(AuthenticationSuccessEvent event) {
        throttle.succeeded(printable(event.getAuthentication().getName()), currentAddress());
    }

    /** The filter that refuses locked logins; placed in the security chain before any authentication. */
    OncePerRequestFilter lockFilter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                String user = attemptedUser(request);
                Duration locked = user == null ? Duration.ZERO
                        : throttle.lockedFor(printable(user), addresses.resolve(request));
                if (locked.isZero()) {
                    chain.doFilter(request, response);
                    return;
                }
                long seconds = wholeSeconds(locked);
                response.setStatus(429);
                response.setHeader("Retry-After", String.valueOf(seconds));
                response.setContentType("application/json");
                response.setCharacterEncoding("UTF-8");
                response.getWriter().write("{\"error\":\"too_many_attempts\",\"message\":\"too many failed logins for"
                        + " this user or address; try again in " + seconds + " s\"}");
            }
        };
    }

    /** The user name a request tries to log in as (HTTP Basic, or the login form), or null. */
    static String attemptedUser(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon < 0 ? pair : pair.substring(0, colon);
            } catch (IllegalArgumentException notBase64) {
                return "";
            }
        }
        if ("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath())) {
            String user = request.getParameter("username");
            return user == null ? "" : user;
        }
        return null;
    }

    private String currentAddress() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            return addresses.resolve(attributes.getRequest());
        }
        return "unknown";
    }

    /** A user name as typed, safe for one log line and the audit: no control characters, at most 64 of them. */
    static String printable(String name) {
        String clean = name == null ? "" : name.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > MAX_NAME ? clean.substring(0, MAX_NAME) + "..." : clean;
    }

    /** A lock's time left as whole seconds, rounded up: a second's lock read a moment later is still "1 s", not 0. */
    static long wholeSeconds(Duration locked) {
        return Math.max(1, locked.toSeconds() + (locked.toMillisPart() > 0 ? 1 : 0));
    }
}
