package com.jodoerp.bridge.support;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A test double of an ERPNext site's REST API for Payment Entry, on 127.0.0.1, modelling what Frappe documents:
 * <ul>
 *   <li>token authentication, {@code Authorization: token api_key:api_secret}, else 401 (Frappe REST API docs);</li>
 *   <li>{@code GET /api/resource/{doctype}} lists documents as {@code {"data": [...]}}, narrowed by {@code filters}
 *       ({@code [[field, operator, value]]} AND-ed, with the operators {@code =}, {@code in} and {@code is}
 *       {@code set}/{@code not set}), showing {@code fields} (only {@code name} by default), in pages of
 *       {@code limit_page_length} rows (20 by default, 0 for all) from {@code limit_start}; documents of every
 *       docstatus, cancelled ones too, as {@code frappe.get_list} answers them ("Listing documents"; "Filters, Fields
 *       &amp; Pagination"). {@code order_by} is taken as {@code name asc}, the only order the bridge asks for;</li>
 *   <li>{@code POST /api/resource/{doctype}} creates the document and answers it under {@code data}; a body with
 *       {@code docstatus: 1} creates it submitted; a missing mandatory field is a 417 MandatoryError, a value that
 *       breaks a unique field (here the custom field {@code jodo_reference}) a 417 UniqueValidationError saying
 *       "Jodo Reference must be unique" ("Creating, Updating &amp; Deleting"; Frappe's HTTP status per exception:
 *       {@code frappe.exceptions.UniqueValidationError} is a ValidationError, 417, raised by
 *       {@code BaseDocument.show_unique_validation_message} on the database's unique key; DuplicateEntryError, 409,
 *       is for a document's name only, which the bridge never sets);</li>
 *   <li>docstatus 0 draft, 1 submitted, 2 cancelled: submitted and cancelled documents cannot be edited
 *       ({@code PUT} answers 417 UpdateAfterSubmitError), only a submitted one can be cancelled, through
 *       {@code frappe.client.cancel} ("Docstatus");</li>
 *   <li>errors as Frappe sends them: {@code exc_type}, {@code exception} and {@code _server_messages} (a JSON list of
 *       JSON texts with {@code message});</li>
 *   <li>a site in maintenance mode ({@code bench set-maintenance-mode on}) answers every request 503 SessionStopped
 *       ({@code frappe.exceptions.SessionStopped}, {@code http_status_code = 503}).</li>
 * </ul>
 * It also counts every request and can be told to fail, for tests of retries: before doing the work (a 5xx), or
 * after doing it (the answer lost on the way back).
 */
public final class FrappeServer implements AutoCloseable {

    /** Made up per run: the bridge's target is given them as an ERPNext site's API key and secret. */
    public static final String KEY = UUID.randomUUID().toString();
    public static final String SECRET = UUID.randomUUID().toString();
    private static final List<String> MANDATORY = List.of("payment_type", "company", "posting_date", "party_type",
            "party", "paid_from", "paid_to", "paid_amount", "received_amount", "reference_no", "reference_date");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    /**
     * A failure to inject into the next request of a kind (GET, POST, CANCEL). With a {@code page}, it is not Frappe
     * that answers but a web server in front of the site (nginx's HTML error page, a maintenance page), as sites are
     * deployed behind one (Frappe's production setup puts nginx in front of its web workers).
     */
    public record Fault(String kind, int status, boolean afterTheWork, String page, String location) {
        public Fault(String kind, int status, boolean afterTheWork) {
            this(kind, status, afterTheWork, null, null);
        }

        /** The web server in front answers with its own HTML page. */
        public static Fault page(String kind, int status, String html) {
            return new Fault(kind, status, false, html, null);
        }

        /** The web server in front redirects (http to https, a moved site, a sign-in page). */
        public static Fault redirect(String kind, int status, String location) {
            return new Fault(kind, status, false, "", location);
        }
    }

    private final HttpServer server;
    private final Map<String, ObjectNode> entries = new LinkedHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();
    private int serial;
    private volatile boolean ignorePaging;
    private volatile CountDownLatch listsHeld = new CountDownLatch(0);
    private volatile CountDownLatch insertsHeld = new CountDownLatch(0);
    private volatile boolean maintenance;

    public FrappeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void fail(Fault fault) {
        faults.add(fault);
    }

    /** The site put in maintenance mode (true) or back in service (false). */
    public void maintenance(boolean on) {
        maintenance = on;
    }

    /** Lists every match whatever limit_start and limit_page_length say, as a proxy that drops the query would. */
    public void ignorePaging() {
        ignorePaging = true;
    }

    /** List queries are not answered until {@link #answerLists()}: an ERP that hangs while it is read. */
    public void holdLists() {
        listsHeld = new CountDownLatch(1);
    }

    public void answerLists() {
        listsHeld.countDown();
    }

    /**
     * New Payment Entries are not made until {@link #answerInserts()}: a site slow to save one, while it answers
     * every other request (each request has a web worker of its own, as Frappe's gunicorn workers do).
     */
    public void holdInserts() {
        insertsHeld = new CountDownLatch(1);
    }

    public void answerInserts() {
        insertsHeld.countDown();
    }

    /** The Payment Entries with this jodo_reference. */
    public synchronized List<ObjectNode> entriesFor(String jodoReference) {
        List<ObjectNode> found = new ArrayList<>();
        for (ObjectNode entry : entries.values()) {
            if (jodoReference.equals(entry.path("jodo_reference").asText())) {
                found.add(entry.deepCopy());
            }
        }
        return found;
    }

    public synchronized int entryCount() {
        return entries.size();
    }

    /** "GET", "POST" or "CANCEL" for each request, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
        byte[] body = exchange.getRequestBody().readAllBytes();
        String kind = path.startsWith("/api/method/frappe.client.cancel") ? "CANCEL" : method;
        requests.add(kind);
        if (!("token " + KEY + ":" + SECRET).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            error(exchange, 401, "AuthenticationError", "Invalid token");
            return;
        }
        if (maintenance) {
            error(exchange, 503, "SessionStopped", "Session Stopped");
            return;
        }
        Fault fault = faults.peek();
        boolean failing = fault != null && fault.kind().equals(kind) && faults.remove(fault);
        if (failing && fault.page() != null) {
            byte[] page = fault.page().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            if (fault.location() != null) {
                exchange.getResponseHeaders().add("Location", fault.location());
            }
            exchange.sendResponseHeaders(fault.status(), page.length == 0 ? -1 : page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
            return;
        }
        if (failing && !fault.afterTheWork()) {
            error(exchange, fault.status(), "ServiceUnavailable", "the site is busy");
            return;
        }
        if (kind.equals("POST")) {
            try {
                insertsHeld.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Answer answer = answer(kind, path, exchange.getRequestURI().getRawQuery(), body);
        if (failing) {
            error(exchange, fault.status(), "GatewayTimeout", "the answer was lost on its way back");
            return;
        }
        send(exchange, answer.status(), answer.body());
    }

    private record Answer(int status, JsonNode body) {
    }

    private synchronized Answer answer(String kind, String path, String query, byte[] body) throws IOException {
        if (kind.equals("GET") && path.equals("/api/resource/Payment Entry")) {
            try {
                listsHeld.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return list(query);
        }
        if (kind.equals("POST") && path.equals("/api/resource/Payment Entry")) {
            return create((ObjectNode) JSON.readTree(body));
        }
        if (kind.equals("PUT") && path.startsWith("/api/resource/Payment Entry/")) {
            ObjectNode entry = entries.get(path.substring("/api/resource/Payment Entry/".length()));
            if (entry == null) {
                return failure(404, "DoesNotExistError", "Payment Entry not found");
            }
            if (entry.path("docstatus").asInt() != 0) {
                return failure(417, "UpdateAfterSubmitError", "Cannot edit a submitted or cancelled document");
            }
            entry.setAll((ObjectNode) JSON.readTree(body));
            return new Answer(200, JSON.createObjectNode().set("data", entry));
        }
        if (kind.equals("CANCEL")) {
            JsonNode which = JSON.readTree(body);
            ObjectNode entry = entries.get(which.path("name").asText());
            if (entry == null) {
                return failure(404, "DoesNotExistError", "Payment Entry " + which.path("name").asText() + " not found");
            }
            int docstatus = entry.path("docstatus").asInt();
            if (docstatus == 2) {
                return failure(417, "ValidationError", "Cannot edit cancelled document");
            }
            if (docstatus == 0) {
                return failure(417, "ValidationError", "Cannot cancel a draft document; submit it first");
            }
            entry.put("docstatus", 2);
            return new Answer(200, JSON.createObjectNode().set("message", entry));
        }
        return failure(404, "DoesNotExistError", "no such endpoint " + path);
    }

    private Answer list(String query) throws IOException {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int at = pair.indexOf('=');
            parameters.put(URLDecoder.decode(pair.substring(0, at), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(at + 1), StandardCharsets.UTF_8));
        }
        JsonNode filters = JSON.readTree(parameters.getOrDefault("filters", "[]"));
        JsonNode fields = JSON.readTree(parameters.getOrDefault("fields", "[\"name\"]"));
        int start = ignorePaging ? 0 : Integer.parseInt(parameters.getOrDefault("limit_start", "0"));
        int length = ignorePaging ? 0 : Integer.parseInt(parameters.getOrDefault("limit_page_length", "20"));
        ArrayNode data = JSON.createArrayNode();
        int matched = 0;
        for (ObjectNode entry : entries.values()) {
            boolean matches = true;
            for (JsonNode filter : filters) {
                matches &= matches(entry.path(filter.get(0).asText()), filter.get(1).asText(), filter.get(2));
            }
            if (matches && matched++ >= start && (length == 0 || data.size() < length)) {
                ObjectNode shown = data.addObject();
                fields.forEach(field -> shown.set(field.asText(), entry.get(field.asText())));
            }
        }
        return new Answer(200, JSON.createObjectNode().set("data", data));
    }

    private static boolean matches(JsonNode value, String operator, JsonNode operand) {
        boolean set = !value.isMissingNode() && !value.isNull() && !value.asText().isEmpty();
        return switch (operator) {
            case "=" -> operand.asText().equals(value.asText());
            case "in" -> set && StreamSupport.stream(operand.spliterator(), false)
                    .anyMatch(one -> one.asText().equals(value.asText()));
            case "is" -> "set".equals(operand.asText()) == set;
            default -> throw new IllegalArgumentException("the double models =, in and is, not " + operator);
        };
    }

    /** An accountant's own entry (or one changed by hand): added as it is, under a new name. */
    public synchronized String add(ObjectNode entry) {
        String name = "ACC-PAY-" + (++serial);
        entries.put(name, entry.deepCopy().put("name", name));
        return name;
    }

    /** Changes a field of the entry with this jodo_reference behind the bridge's back. */
    public synchronized void alter(String jodoReference, String field, Object value) {
        ObjectNode entry = entries.values().stream().filter(e -> jodoReference.equals(e.path("jodo_reference").asText()))
                .findFirst().orElseThrow();
        entry.set(field, JSON.valueToTree(value));
    }

    /** Deletes the entry with this jodo_reference (as an accountant deleting a draft, or a restore from backup). */
    public synchronized void delete(String jodoReference) {
        entries.values().removeIf(entry -> jodoReference.equals(entry.path("jodo_reference").asText()));
    }

    private Answer create(ObjectNode entry) {
        for (String field : MANDATORY) {
            if (!entry.hasNonNull(field) || entry.get(field).asText().isBlank()) {
                return failure(417, "MandatoryError", "[Payment Entry]: " + field);
            }
        }
        for (String field : List.of("posting_date", "reference_date")) {
            if (!DATE.matcher(entry.get(field).asText()).matches()) {
                return failure(417, "ValidationError", field + " must be a date (YYYY-MM-DD)");
            }
        }
        if (new BigDecimal(entry.get("paid_amount").asText()).signum() <= 0) {
            return failure(417, "ValidationError", "Paid Amount must be greater than 0");
        }
        String reference = entry.path("jodo_reference").asText();
        if (!reference.isEmpty() && !entriesFor(reference).isEmpty()) {
            return failure(417, "UniqueValidationError", "Jodo Reference must be unique");
        }
        entry.put("docstatus", entry.path("docstatus").asInt(0));
        return new Answer(200, JSON.createObjectNode().set("data", entries.get(add(entry))));
    }

    private static Answer failure(int status, String type, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("exc_type", type);
        body.put("exception", "frappe.exceptions." + type + ": " + message);
        try {
            body.put("_server_messages", JSON.writeValueAsString(List.of(JSON.writeValueAsString(
                    Map.of("message", message)))));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Answer(status, body);
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        send(exchange, status, failure(status, type, message).body());
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] reply = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, reply.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
