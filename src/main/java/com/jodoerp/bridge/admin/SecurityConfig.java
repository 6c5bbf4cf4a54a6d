package com.jodoerp.bridge.admin;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.jodoerp.bridge.webhook.WebhookProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;

/**
 * Who may do what: Jodo's webhook path is open here (the intake checks signature, header and address itself),
 * health and metrics are open, and everything else (the admin API and the ops page) takes the operator's
 * login: HTTP Basic for scripts, a login form for the page; a path nothing serves is a 404 for anyone. A browser
 * session's changes carry a CSRF token; a request with HTTP Basic credentials is authenticated by them alone and
 * needs none. Failed logins are logged, audited and throttled ({@link OperatorLogins}).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);
    static final String ROLE = "OPERATOR";
    /** Where the operator's login opens something: the admin API, the ops page and Actuator's endpoints. */
    private static final List<String> OPERATOR_AREAS = List.of("/admin", "/ops", "/actuator");
    /** Every path the bridge serves besides webhooks: the operators' areas and the sign-in around them. */
    private static final List<String> OWN_PATHS = Stream.concat(OPERATOR_AREAS.stream(),
            Stream.of("/login", "/login.css", "/login.js", "/logout", "/error")).toList();
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";

    @Bean
    SecurityFilterChain security(HttpSecurity http, WebhookProperties webhook, AdminProperties admin,
                                 OperatorLogins logins,
                                 @Value("${bridge.bench.enabled:false}") boolean bench) throws Exception {
        ownPathsApart(webhook.path());
        AuthenticationEntryPoint api = (request, response, failure) -> {
            if (operatorArea(path(request))) {
                refuse(response, admin);
            } else {
                // Nothing is served here, logged in or not: a mistyped webhook URL (/webhooks/jodoo) is told so,
                // with where webhooks go, rather than to log in.
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
            }
        };
        // Jodo's webhooks bypass this chain altogether: the intake has its own checks, and every filter here
        // would cost each webhook time. bench/run.sh's bare ceiling route (/bench/bare) likewise, when enabled.
        http.securityMatcher(request -> {
                    String path = path(request);
                    boolean webhookPath = within(path, webhook.path());
                    return !webhookPath && !(bench && path.startsWith("/bench/"));
                })
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus",
                                "/actuator/info", "/login", "/login.css", "/login.js", "/error", "/").permitAll()
                        .anyRequest().hasRole(ROLE))
                .httpBasic(basic -> basic.authenticationEntryPoint(api))
                // Our own sign-in page (SignInPage), which names the product; Spring's default one does not.
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/ops/", true))
                .exceptionHandling(errors -> errors
                        // Someone not logged in is told to log in (401), not that a CSRF token is missing (403).
                        .accessDeniedHandler((request, response, denied) -> {
                            Authentication who = SecurityContextHolder.getContext().getAuthentication();
                            if (response.isCommitted()) {
                                // A client that went away mid-body (its form unread, so no token): no one to answer.
                                return;
                            }
                            if (signingIn(request)) {
                                // The sign-in form's CSRF token no longer matches its cookie (cleared, or replaced
                                // by a sign-in in another tab since the page was shown): the page again, saying so,
                                // not a 404 or a JSON 403 where a page was expected.
                                response.sendRedirect("/login?expired");
                            } else if (who == null || who instanceof AnonymousAuthenticationToken) {
                                api.commence(request, response, null);
                            } else {
                                response.setStatus(403);
                                response.setContentType("application/json");
                                response.setCharacterEncoding("UTF-8");
                                response.getWriter().write("{\"error\":\"forbidden\",\"message\":\""
                                        + "the request is missing its CSRF token, or the login may not do this\"}");
                            }
                        })
                        .defaultAuthenticationEntryPointFor(signIn(), new AntPathRequestMatcher("/ops/**"))
                        .defaultAuthenticationEntryPointFor(api, request -> true))
                // A request with HTTP Basic credentials is authenticated by them alone, never by a session cookie that
                // came along: so it needs no CSRF token (another site cannot send Basic credentials it does not
                // know), and any other Authorization header (Bearer x) leaves CSRF protection on.
                .securityContext(context -> context.securityContextRepository(new BasicOnlyContextRepository()))
                .csrf(csrf -> csrf
                        .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .ignoringRequestMatchers(BasicOnlyContextRepository::hasBasicCredentials))
                // The ops page shows text that came from parents, Jodo and ERPs (names, notes, an ERP's error). It sets
                // that text as text, and this policy makes sure no markup slipped into it ever runs: scripts, styles,
                // images and calls from the bridge's own files only, nothing inline, no framing, forms posted here.
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        // Links out of the ops page do not carry its address (with an event id or a student's filter).
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)))
                .addFilterBefore(logins.lockFilter(), UsernamePasswordAuthenticationFilter.class)
                .addFilterAfter(new CsrfCookieFilter(), BasicAuthenticationFilter.class);
        return http.build();
    }

    private static boolean signingIn(HttpServletRequest request) {
        return "POST".equals(request.getMethod()) && "/login".equals(path(request));
    }

    /** What every login (HTTP Basic and the sign-in form) is checked with. */
    @Bean
    PasswordEncoder operatorPassword() {
        return new OperatorPassword();
    }

    @Bean
    UserDetailsService operators(AdminProperties admin, PasswordEncoder operatorPassword) {
        if (!admin.configured()) {
            log.warn("No admin login is set (BRIDGE_ADMIN_USER, BRIDGE_ADMIN_PASSWORD): /admin and /ops refuse"
                    + " every request until one is.");
            return new InMemoryUserDetailsManager();
        }
        return new InMemoryUserDetailsManager(User.withUsername(admin.username())
                .password(operatorPassword.encode(admin.password())).roles(ROLE).build());
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    private static boolean operatorArea(String path) {
        return OPERATOR_AREAS.stream().anyMatch(area -> within(path, area));
    }

    /** The ops page's way to the sign-in page: a path, as every redirect (server.tomcat.use-relative-redirects). */
    private static LoginUrlAuthenticationEntryPoint signIn() {
        LoginUrlAuthenticationEntryPoint signIn = new LoginUrlAuthenticationEntryPoint("/login");
        signIn.setFavorRelativeUris(true);
        return signIn;
    }

    /** {@code path} is {@code area} or below it. */
    private static boolean within(String path, String area) {
        return path.equals(area) || path.startsWith(area + "/");
    }

    /**
     * The webhook path and everything below it bypass this chain (Jodo's webhooks have checks of their own), so a
     * webhook path over or under one of the bridge's own paths would open that path without the operator's login
     * (measured: {@code /admin} served every event's raw payload to anyone), or hide it behind the webhook route.
     */
    static void ownPathsApart(String webhookPath) {
        if (webhookPath.equals("/") || OWN_PATHS.stream()
                .anyMatch(own -> within(webhookPath, own) || within(own, webhookPath))) {
            throw new IllegalArgumentException("bridge.webhook.path: '" + webhookPath + "' overlaps the bridge's own"
                    + " pages (" + String.join(", ", OWN_PATHS) + ", and /), which the operator login protects;"
                    + " webhooks need a path of their own, such as /webhooks/jodo");
        }
    }

    private static void refuse(HttpServletResponse response, AdminProperties admin) throws IOException {
        response.setStatus(401);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        if (admin.configured()) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"jodo-erp-bridge\"");
            response.getWriter().write("{\"error\":\"unauthorized\",\"message\":\"operator login required\"}");
        } else {
            response.getWriter().write("{\"error\":\"admin_disabled\",\"message\":\"no admin login is configured:"
                    + " set BRIDGE_ADMIN_USER and BRIDGE_ADMIN_PASSWORD\"}");
        }
    }
}
