package com.jodoerp.bridge.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.BridgeApplication;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.RouteController;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One running bridge, started in this JVM on a random port, talked to over real HTTP. Tests start
 * several (restarts, two instances on one database) and choose each one's settings.
 *
 * <p>The integrator's config/application.yaml is left out on purpose: tests set what they rely on.
 */
public final class BridgeInstance implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final String DELIVERY_ROUTE = "deliver-due-records";

    private final ConfigurableApplicationContext context;
    private final int port;

    private BridgeInstance(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Starts a bridge on an H2 store in {@code dataDir} with the extra settings given. */
    public static BridgeInstance start(Path dataDir, Map<String, String> settings) {
        return start(dataDir, settings, new Class<?>[0]);
    }

    /**
     * {@link #start(Path, Map)} with {@code parts} (configuration classes) beside the bridge's own: a test's stand-in
     * for a part of the machine it cannot make fail for real, such as a full disk under the intake journal.
     */
    public static BridgeInstance start(Path dataDir, Map<String, String> settings, Class<?>... parts) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("spring.config.location", "classpath:/application.yaml");
        all.put("server.port", "0");
        all.put("bridge.data-dir", dataDir.toString());
        all.put("bridge.webhook.secret", "");
        all.put("bridge.webhook.previous-secret", "");
        all.put("spring.main.banner-mode", "off");
        // Tests wait for one event after another: the queues look for work every 20 ms rather than the shipped
        // 200 ms (a test about polling itself sets its own).
        all.put("bridge.dispatch.poll-interval", "20ms");
        all.put("bridge.delivery.poll-interval", "20ms");
        all.putAll(settings);
        // As command-line arguments: they outrank application.yaml, where default properties would not.
        String[] args = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new BridgeInstance(new SpringApplicationBuilder(BridgeApplication.class).sources(parts).run(args));
    }

    public int port() {
        return port;
    }

    /** One of the running bridge's own parts, for a test that must stop or inspect it from inside. */
    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** Turns readiness as Spring Boot does: to refusing at the first step of a stop, to accepting once ready. */
    public void readiness(ReadinessState state) {
        AvailabilityChangeEvent.publish(context, state);
    }

    public JdbcTemplate jdbc() {
        return context.getBean(JdbcTemplate.class);
    }

    public HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) {
        return post(path, body, headers, Map.of());
    }

    /** {@link #post(String, byte[], Map)} with each header of {@code again} sent a second time, with that value. */
    public HttpResponse<String> post(String path, byte[] body, Map<String, String> headers, Map<String, String> again) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        again.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("POST " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The reconciliation of {@code day} (JSON) once the ERP's side of every target has been read since this call: the
     * bridge reads it in the background and answers with its latest read meanwhile (a new read starts when the latest
     * began over five seconds ago).
     */
    public JsonNode reconciliation(Object day, String user, String password) {
        Instant asked = Instant.now();
        JsonNode[] report = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> answer = admin("GET", "/admin/reconciliation?date=" + day, user,
                    password, null);
            report[0] = Samples.tree(answer.body());
            for (JsonNode target : report[0].path("targets")) {
                JsonNode erp = target.path("erp");
                boolean read = erp.path("readAt").isNull() || erp.path("readAt").isMissingNode()
                        ? !erp.path("note").asText().startsWith("being read")
                        : !Instant.parse(erp.path("readAt").asText()).isBefore(asked);
                if (!read) {
                    return false;
                }
            }
            return answer.statusCode() == 200;
        });
        return report[0];
    }

    /** Calls the admin API as {@code user} (null: without credentials); {@code json} null means no body. */
    public HttpResponse<String> admin(String method, String path, String user, String password, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (user != null) {
            request.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * A metric without labels that counts whole things (webhooks, transactions, bytes), as the bridge exposes it now
     * ({@code /actuator/prometheus}); 0 before it is.
     */
    public long metric(String name) {
        String text = admin("GET", "/actuator/prometheus", null, null, null).body();
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+)$").matcher(text);
        return value.find() ? new BigDecimal(value.group(1)).longValueExact() : 0;
    }

    /** Posts JSON to the intake, signed with {@code secret} when it is not null. */
    public HttpResponse<String> postWebhook(byte[] body, String secret) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (secret != null) {
            headers.put("X-Jodo-Signature", Signing.sign(secret, body));
        }
        return post("/webhooks/jodo", body, headers);
    }

    /**
     * Posts {@code count} webhooks one a second, as Jodo goes on sending while something downstream is wrong, each
     * made by {@code webhook} from a fresh event id; each must be accepted. Returns their event ids, in order.
     */
    public List<String> postEverySecond(int count, Function<String, byte[]> webhook) {
        List<String> ids = new CopyOnWriteArrayList<>();
        List<Integer> answers = new CopyOnWriteArrayList<>();
        ScheduledExecutorService jodo = Executors.newSingleThreadScheduledExecutor();
        try {
            jodo.scheduleAtFixedRate(() -> {
                String id = Samples.freshId();
                answers.add(postWebhook(webhook.apply(id), null).statusCode());
                ids.add(id);
            }, 0, 1, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(3L * count)).until(() -> ids.size() >= count);
        } finally {
            jodo.shutdownNow();
        }
        if (!answers.stream().allMatch(status -> status == 202)) {
            throw new AssertionError("every webhook accepted (202), but the answers were " + answers);
        }
        return new ArrayList<>(ids);
    }

    /**
     * Posts {@code count} webhooks one after another, each made by {@code webhook} from a fresh event id; each must be
     * accepted. Returns their event ids, in order.
     */
    public List<String> postEach(int count, Function<String, byte[]> webhook) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = Samples.freshId();
            int status = postWebhook(webhook.apply(id), null).statusCode();
            if (status != 202) {
                throw new AssertionError("every webhook accepted (202), but webhook " + (i + 1) + " was answered "
                        + status);
            }
            ids.add(id);
        }
        return ids;
    }

    public int inboxRows(String eventId) {
        return jdbc().queryForObject("SELECT COUNT(*) FROM inbox_event WHERE event_id = ?", Integer.class, eventId);
    }

    public int inboxRows() {
        return jdbc().queryForObject("SELECT COUNT(*) FROM inbox_event", Integer.class);
    }

    public String dispatchState(String eventId) {
        return jdbc().queryForObject("SELECT dispatch_state FROM inbox_event WHERE event_id = ?", String.class, eventId);
    }

    public String parkedReason(String eventId) {
        return jdbc().queryForObject("SELECT parked_reason FROM inbox_event WHERE event_id = ?", String.class, eventId);
    }

    /** The state of the delivery of {@code eventId} to {@code target}, or "" while there is none. */
    public String deliveryState(String eventId, String target) {
        List<String> states = jdbc().queryForList("SELECT state FROM delivery WHERE event_id = ? AND target = ?",
                String.class, eventId, target);
        return states.isEmpty() ? "" : states.get(0);
    }

    /**
     * Delivery held back, every target's lane: what falls due meanwhile is taken together (one claim per target,
     * oldest first) once it is let go.
     */
    public AutoCloseable holdDelivery() throws Exception {
        CamelContext camel = bean(CamelContext.class);
        List<String> lanes = camel.getRoutes().stream().map(Route::getId)
                .filter(id -> id.equals(DELIVERY_ROUTE) || id.startsWith(DELIVERY_ROUTE + "-")).toList();
        RouteController routes = camel.getRouteController();
        for (String lane : lanes) {
            routes.stopRoute(lane);
        }
        return () -> {
            for (String lane : lanes) {
                routes.startRoute(lane);
            }
        };
    }

    /** Waits until each of {@code eventIds} has its delivery to {@code target} due (routed, not yet attempted). */
    public void awaitDue(List<String> eventIds, String target) {
        await().atMost(Duration.ofSeconds(30)).until(() -> eventIds.stream()
                .allMatch(id -> "PENDING".equals(deliveryState(id, target))));
    }

    public int deliveryAttempts(String eventId, String target) {
        List<Integer> attempts = jdbc().queryForList(
                "SELECT attempts FROM delivery WHERE event_id = ? AND target = ?", Integer.class, eventId, target);
        return attempts.isEmpty() ? 0 : attempts.get(0);
    }

    /** How long after it arrived each of {@code eventIds} was recorded delivered to {@code target}, in ms. */
    public List<Long> deliveryLags(String target, List<String> eventIds) {
        return jdbc().queryForList("""
                SELECT DATEDIFF('MILLISECOND', e.received_at, d.delivered_at) FROM delivery d
                  JOIN inbox_event e ON e.event_id = d.event_id
                 WHERE d.target = ? AND d.event_id IN (%s)""".formatted(String.join(",",
                eventIds.stream().map(id -> "?").toList())), Long.class,
                Stream.concat(Stream.of(target), eventIds.stream()).toArray());
    }

    public int eventIdRows() {
        return jdbc().queryForObject("SELECT COUNT(*) FROM jodo_event_id", Integer.class);
    }

    @Override
    public void close() {
        context.close();
    }
}
