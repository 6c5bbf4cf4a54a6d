package com.jodoerp.bridge.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.jodoerp.bridge.flow.Flow;
import com.jodoerp.bridge.system.Redaction;
import com.schibsted.spt.data.jslt.JsltException;
import com.schibsted.spt.data.jslt.Parser;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

/**
 * The REST transport: one HTTP call per record, with {@code Idempotency-Key: <event_id>} so the ERP can
 * recognise a retry, and the ERP's answer classified: 2xx delivered; 408, 409, 429 and 5xx worth retrying
 * (honouring {@code Retry-After}); any other answer a permanent refusal, kept with what the ERP said. 409 is what
 * the IETF draft on {@code Idempotency-Key} (draft-ietf-httpapi-idempotency-key-header, "Error Scenarios") has a
 * server answer a retry that arrives while the first request with its key is still being processed: a retry after
 * a read timeout meets it, and the ERP is then about to take the record, not refusing it.
 */
@Component("restTarget")
public class RestTarget implements Transport {

    private static final int MAX_ANSWER = 500;
    private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH");
    private static final Set<String> EXPECTS = Set.of("no-html", "json", "any");
    private static final ObjectMapper ANSWERS = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    /** A target's settings, read once at start-up. */
    record Settings(Map<String, String> options, String authorization, String headerName, String headerValue,
                    String expect) {
    }

    /**
     * JSON for request templates, bound in Camel's registry only (a Spring ObjectMapper bean would replace
     * Spring Boot's own): amounts stay exact decimals with their scale, 5500.00 and not 5.5E+3.
     */
    static final String TEMPLATE_JSON = "jsltObjectMapper";

    private final Map<String, Settings> settings = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "rest";
    }

    @Override
    public Map<String, String> prepare(String target, Map<String, String> options, CamelContext camelContext) {
        String at = "bridge.targets." + target + ".options.";
        Map<String, String> parameters = HttpOptions.parameters(target, options, "https://erp.school.example");
        options.forEach((key, value) -> {
            if (key.equals("method") || key.startsWith("method.")) {
                if (!METHODS.contains(value.trim().toUpperCase(Locale.ROOT))) {
                    throw new IllegalArgumentException(at + key + ": expected POST, PUT or PATCH, got '" + value + "'");
                }
            }
        });
        parameters.put("max-connections", String.valueOf(positive(at + "max-connections",
                options.getOrDefault("max-connections", "20"))));
        String expect = options.getOrDefault("expect", "no-html").trim().toLowerCase(Locale.ROOT);
        if (!EXPECTS.contains(expect)) {
            throw new IllegalArgumentException(at + "expect: expected no-html, json or any, got '" + expect + "'");
        }
        // A trust store of its own: the target's https calls go through an http component that trusts it (an
        // endpoint option would turn http:// URLs into https:// ones as well).
        String trustStore = options.getOrDefault("trust-store", "").trim();
        if (!trustStore.isEmpty()) {
            if (!parameters.get("url").startsWith("https://")) {
                throw new IllegalArgumentException(at + "trust-store is for https:// URLs, and url is '"
                        + parameters.get("url") + "'");
            }
            HttpComponent https = new HttpComponent();
            https.setSslContextParameters(trust(trustStore, options.getOrDefault("trust-store-password", "")));
            // As camel.component.http is set (application.yaml): no retries of its own, nothing inflated, answers
            // bounded.
            https.setAutomaticRetriesDisabled(true);
            https.setContentCompressionDisabled(true);
            https.setHttpClientConfigurer(new ErpAnswerLimit());
            camelContext.addComponent(target + "-https", https);
            parameters.put("url", target + "-https" + parameters.get("url").substring("https".length()));
        }
        String auth = options.getOrDefault("auth", "none").trim().toLowerCase(Locale.ROOT);
        String authorization = switch (auth) {
            case "none", "header" -> null;
            case "basic" -> "Basic " + Base64.getEncoder().encodeToString((Transport.required(target, options, "username")
                    + ":" + options.getOrDefault("password", "")).getBytes(StandardCharsets.UTF_8));
            case "bearer" -> "Bearer " + Transport.required(target, options, "token");
            default -> throw new IllegalArgumentException(at + "auth: expected none, basic, bearer or header, got '"
                    + auth + "'");
        };
        String headerName = auth.equals("header") ? Transport.required(target, options, "header-name") : null;
        String headerValue = auth.equals("header") ? Transport.required(target, options, "header-value") : null;
        String template = options.getOrDefault("template", "").trim();
        if (!template.isEmpty() && !template.contains(":")) {
            compiles(at + "template", Path.of(template));
        }
        if (!template.isEmpty() && camelContext.getRegistry().lookupByName(TEMPLATE_JSON) == null) {
            camelContext.getRegistry().bind(TEMPLATE_JSON, JsonMapper.builder()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                    .build());
        }
        parameters.put("template", template.isEmpty() ? "" : template.contains(":") ? template : "file:" + template);
        settings.put(target, new Settings(Map.copyOf(options), authorization, headerName, headerValue, expect));
        return parameters;
    }

    /**
     * A template file is read and compiled at start-up: Camel's jslt endpoint reads it at the first delivery, so a
     * missing file or a slip in it would fail every delivery for the whole retry budget instead.
     */
    private static void compiles(String setting, Path template) {
        String text;
        try {
            text = Files.readString(template);
        } catch (IOException | RuntimeException unreadable) {
            throw new IllegalArgumentException(setting + ": cannot read " + template.toAbsolutePath(), unreadable);
        }
        try {
            Parser.compileString(text);
        } catch (JsltException invalid) {
            throw new IllegalArgumentException(setting + ": " + template.toAbsolutePath() + " is not valid JSLT: "
                    // Its first line says where; the rest lists every token the parser would have taken there.
                    + String.valueOf(invalid.getMessage()).lines().findFirst().orElse(""), invalid);
        }
    }

    /** Turns the canonical record into the request: JSON body, method, path, auth and idempotency headers. */
    public void request(Exchange exchange) throws JsonProcessingException {
        Settings target = settings.get(exchange.getProperty(Flow.TARGET, String.class));
        String family = exchange.getProperty(Flow.FAMILY, String.class);
        Message message = exchange.getMessage();
        String body = JSON.writeValueAsString(message.getBody(Map.class));
        message.removeHeaders("*");
        message.setBody(body);
        message.setHeader(Exchange.HTTP_METHOD, option(target, "method", family, "POST").toUpperCase(Locale.ROOT));
        message.setHeader(Exchange.HTTP_PATH, option(target, "path", family, ""));
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader("Accept", "application/json");
        message.setHeader("Idempotency-Key", exchange.getProperty(Flow.EVENT_ID, String.class));
        if (target.authorization() != null) {
            message.setHeader("Authorization", target.authorization());
        }
        if (target.headerName() != null) {
            message.setHeader(target.headerName(), target.headerValue());
        }
    }

    /**
     * Classifies the ERP's answer; anything but a 2xx throws, transient or permanent. A 2xx is delivered unless its
     * body is not what the target's {@code expect} option says an API answers: by default not an HTML page (what a
     * proxy's or a single sign-on's sign-in page answers in the API's place, with 200, though the ERP never saw the
     * record), or JSON (or nothing) with {@code json}. Such an answer is a refusal, as a 401 is: nothing to read back
     * from a REST target would show the record missing later.
     */
    public void answer(Exchange exchange) {
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = message.getBody(String.class);
        if (status >= 200 && status < 300) {
            String expect = settings.get(exchange.getProperty(Flow.TARGET, String.class)).expect();
            String unlike = "json".equals(expect) && !json(body) ? "something other than JSON"
                    : "no-html".equals(expect) && htmlPage(body) ? "an HTML page" : null;
            if (unlike != null) {
                throw new PermanentDeliveryException("ERP answered " + status + " with " + unlike + ", not its API's"
                        + " answer (a sign-in page or a proxy in its place? the target's expect option says what its"
                        + " API answers): " + excerpt(body));
            }
            return;
        }
        String said = excerpt(body);
        String reason = "ERP answered " + status + redirect(status, message) + (said.isEmpty() ? "" : ": " + said);
        if (status == 408 || status == 409 || status == 429 || status >= 500) {
            throw new TransientDeliveryException(reason, retryAfter(message.getHeader("Retry-After", String.class)));
        }
        throw new PermanentDeliveryException(reason);
    }

    /** Whether the body is JSON, or nothing (204). */
    private static boolean json(String body) {
        if (body == null || body.isBlank()) {
            return true;
        }
        try {
            ANSWERS.readTree(body);
            return true;
        } catch (JsonProcessingException notJson) {
            return false;
        }
    }

    /**
     * Whether the body is an HTML document (a doctype or an {@code <html>} element near its start, after an XML
     * declaration or comments, as XHTML sign-in pages have), not a word or a fragment an API might answer with.
     */
    private static boolean htmlPage(String body) {
        String start = body == null ? "" : body.replace("\uFEFF", "").strip();
        start = start.substring(0, Math.min(start.length(), 1024)).toLowerCase(Locale.ROOT);
        return start.startsWith("<") && (start.contains("<!doctype html") || start.contains("<html"));
    }

    private static String option(Settings target, String key, String family, String fallback) {
        String value = target.options().getOrDefault(key + "." + family, target.options().getOrDefault(key, fallback));
        return value.trim();
    }

    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            Duration wait = Duration.between(ZonedDateTime.now(),
                    ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Where a redirect pointed, for the reason (redirects are not followed: a POST followed to a sign-in page would
     * be answered 200 there). Its query and fragment are left out: a sign-in page's may carry a token.
     */
    static String redirect(int status, Message answer) {
        String location = status >= 300 && status < 400 ? answer.getHeader("Location", String.class) : null;
        if (location == null || location.isBlank()) {
            return "";
        }
        return " (redirected to " + excerpt(location.replaceAll("[?#].*", "")) + "; the bridge does not follow"
                + " redirects: set the target's url to where the ERP answers)";
    }

    static String excerpt(String body) {
        if (body == null) {
            return "";
        }
        String text = Redaction.mask(body).replaceAll("\\s+", " ").trim();
        return text.length() > MAX_ANSWER ? text.substring(0, MAX_ANSWER) + "..." : text;
    }

    private static SSLContextParameters trust(String trustStore, String password) {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource(trustStore.contains(":") ? trustStore : "file:" + trustStore);
        store.setPassword(password);
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setTrustManagers(trust);
        return tls;
    }

    /** A timeout option in milliseconds: more than 0, which HTTP clients and JDBC drivers read as "wait forever". */
    static long duration(String setting, String value) {
        long millis;
        try {
            millis = DurationStyle.detectAndParse(value.trim()).toMillis();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + ": '" + value + "' is not a duration such as 5s or 500ms", e);
        }
        if (millis <= 0) {
            throw new IllegalArgumentException(setting + ": must be more than 0 (0 waits without end), got '" + value
                    + "'");
        }
        return millis;
    }

    static int positive(String setting, String value) {
        try {
            int number = Integer.parseInt(value.trim());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(setting + ": expected a positive whole number, got '" + value + "'");
    }
}
