package com.jodoerp.bridge.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 standing in for a school's ERP API. It records every request and answers
 * from a script per idempotency key (status, delay, body, Retry-After), 201 once the script runs out.
 */
public final class ErpHttpServer implements AutoCloseable {

    /** One scripted answer. */
    public record Answer(int status, Duration delay, String body, String retryAfter, String location,
                         boolean chunked) {
        public Answer(int status, Duration delay, String body, String retryAfter) {
            this(status, delay, body, retryAfter, null, false);
        }

        public static Answer status(int status, String body) {
            return new Answer(status, Duration.ZERO, body, null);
        }

        /** A redirect, as a proxy in front of an ERP sends one (http to https, or to a sign-in page). */
        public static Answer redirect(int status, String location) {
            return new Answer(status, Duration.ZERO, null, null, location, false);
        }

        /** Sent chunked, without a Content-Length: its size shows only as it is read. */
        public static Answer chunked(int status, String body) {
            return new Answer(status, Duration.ZERO, body, null, null, true);
        }
    }

    /** One request as the ERP received it. */
    public record Request(String method, String path, Map<String, List<String>> headers, String body, long atNanos) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private volatile Answer otherwise = Answer.status(201, "{\"ok\":true}");
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    public ErpHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // A thread per request, as an ERP's web server has: requests left hanging (a hung ERP's) never keep later
        // ones from being answered.
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers for the requests carrying {@code Idempotency-Key: key}, in order. */
    public void script(String key, Answer... answers) {
        scripts.put(key, new ArrayDeque<>(List.of(answers)));
    }

    /** The answer to every request its script does not cover (201 unless changed): an ERP going down or up. */
    public void otherwise(Answer answer) {
        this.otherwise = answer;
    }

    /** How many requests for {@code key} the ERP accepted (answered 2xx). */
    public long acceptedFor(String key) {
        return accepted.stream().filter(key::equals).count();
    }

    /** The most requests the ERP was working on at one time. */
    public int mostAtOnce() {
        return mostAtOnce.get();
    }

    public List<Request> requestsFor(String key) {
        List<Request> matching = new ArrayList<>();
        for (Request request : requests) {
            if (key.equals(request.header("Idempotency-Key"))) {
                matching.add(request);
            }
        }
        return matching;
    }

    private void handle(HttpExchange exchange) throws IOException {
        mostAtOnce.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
        AtomicBoolean working = new AtomicBoolean(true);
        Runnable answered = () -> {
            if (working.getAndSet(false)) {
                inProgress.decrementAndGet();
            }
        };
        try {
            answer(exchange, answered);
        } finally {
            answered.run();
        }
    }

    /**
     * Answers the request; {@code answered} runs as the answer leaves. A request is in progress until then only: once
     * the client has the answer it may send its next request at once, and counted until this thread got round to it
     * after, the two would look like two at once (a busy machine made one such in a clean-clone run).
     */
    private void answer(HttpExchange exchange, Runnable answered) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), new String(body, StandardCharsets.UTF_8), System.nanoTime());
        requests.add(request);
        Deque<Answer> script = scripts.get(String.valueOf(request.header("Idempotency-Key")));
        Answer answer = script == null || script.isEmpty() ? otherwise : script.poll();
        if (!answer.delay().isZero()) {
            try {
                TimeUnit.MILLISECONDS.sleep(answer.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (answer.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
        }
        if (answer.location() != null) {
            exchange.getResponseHeaders().add("Location", answer.location());
        }
        byte[] reply = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        String key = String.valueOf(request.header("Idempotency-Key"));
        boolean accepts = answer.status() >= 200 && answer.status() < 300;
        // Counted before the answer leaves, as an ERP books before it answers: counted after, a test reading the count
        // once the bridge has the answer could find it not yet there.
        if (accepts) {
            accepted.add(key);
        }
        answered.run();
        try {
            exchange.sendResponseHeaders(answer.status(), reply.length == 0 ? -1 : answer.chunked() ? 0 : reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        } catch (IOException clientGone) {
            // the bridge gave up waiting (a read timeout): exactly what a slow ERP looks like; it never saw the answer
            if (accepts) {
                accepted.remove(key);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
