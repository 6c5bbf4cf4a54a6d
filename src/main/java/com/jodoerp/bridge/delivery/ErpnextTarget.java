package com.jodoerp.bridge.delivery;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.jodoerp.bridge.flow.Flow;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The ERPNext transport's Java side (routes/erpnext-target.camel.yaml holds the exchange itself): one submitted
 * Payment Entry (Receive) per Jodo payment, found again by its {@code jodo_reference} (a unique custom field), built
 * from the canonical record and the school's mapping (config/erpnext.yaml: company, party, accounts), and Frappe's
 * answers read the way Frappe documents them (a list under {@code data}, errors with {@code exc_type} and
 * {@code _server_messages}, 417 for a validation error, a clash on a unique field included).
 */
@Component("erpnextTarget")
public class ErpnextTarget implements Transport {

    static final String ENTRIES = "/api/resource/Payment%20Entry";
    static final String CANCEL = "/api/method/frappe.client.cancel";
    private static final Set<String> PARTY_FIELDS = Set.of("identifier", "custom_identifier");
    /** What config/erpnext.yaml may say. */
    private static final List<String> MAPPING_KEYS = List.of("company", "party-type", "party-field", "walk-in-party",
            "pay-orders-party", "receivable-account", "fee-head-accounts", "deposit-accounts", "modes-of-payment");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** One ERPNext target: its mapping and its token. */
    private record Books(MappingFile mapping, String partyField, boolean payerParty, String authorization) {
    }

    private final Map<String, Books> targets = new ConcurrentHashMap<>();
    private final Receipts receipts;

    public ErpnextTarget(Receipts receipts) {
        this.receipts = receipts;
    }

    @Override
    public String name() {
        return "erpnext";
    }

    @Override
    public Map<String, String> prepare(String target, Map<String, String> options, CamelContext camelContext) {
        String at = "bridge.targets." + target + ".options.";
        Map<String, String> parameters = HttpOptions.parameters(target, options, "https://erp.school.example");
        String token = "token " + Transport.required(target, options, "api-key") + ":"
                + Transport.required(target, options, "api-secret");
        MappingFile mapping = MappingFile.read(at + "mapping", Path.of(Transport.required(target, options, "mapping")),
                MAPPING_KEYS);
        mapping.text("company");
        mapping.text("party-type");
        mapping.text("walk-in-party");
        mapping.text("receivable-account");
        mapping.requireDefault("deposit-accounts");
        String partyField = mapping.optional("party-field", "identifier");
        if (!PARTY_FIELDS.contains(partyField)) {
            throw new IllegalArgumentException(at + "mapping: party-field must be identifier or custom_identifier, got '"
                    + partyField + "'");
        }
        targets.put(target, new Books(mapping, partyField, Receipt.payerParty(mapping), token));
        String pageSize = options.getOrDefault("reconciliation-page-size", "500").trim();
        if (!pageSize.matches("[1-9]\\d{0,3}")) {
            throw new IllegalArgumentException(at + "reconciliation-page-size must be a whole number from 1 to 9999, got '"
                    + pageSize + "'");
        }
        parameters.put("reconciliation-page-size", pageSize);
        return parameters;
    }

    /** What the record asks of the books, and the request that looks its entry up by Jodo reference. */
    public void plan(Exchange exchange) throws IOException {
        Books books = books(exchange);
        Receipt receipt = receipts.of(exchange.getMessage().getBody(Map.class));
        exchange.setProperty(Flow.ERP_ACTION, receipt.intent().name().toLowerCase(Locale.ROOT));
        exchange.setProperty(Flow.ERP_FOUND, "");
        exchange.setProperty(Flow.ERP_FOUND_STATUS, -1);
        if (receipt.intent() == Receipt.Intent.NONE) {
            return;
        }
        exchange.setProperty(Receipt.class.getName(), receipt);
        String query = "filters=" + encode(List.of(List.of("jodo_reference", "=", receipt.paymentId())))
                + "&fields=" + encode(List.of("name", "docstatus", "paid_amount")) + "&limit_page_length=2";
        request(exchange, books, "GET", ENTRIES, null).setHeader(Exchange.HTTP_QUERY, query);
    }

    /**
     * The entry ERPNext has for the payment, if any. When Jodo updates a payment already booked for another amount,
     * the submitted entry cannot be edited, nor amended: Frappe's amendment copies every field, and the unique
     * jodo_reference stays with the cancelled original. So the accountant cancels and deletes the entry, and the
     * replayed update books the new amount under the same reference; an entry cancelled in ERPNext while Jodo says
     * the money came (cancelled and not deleted, or by hand) says so rather than counting as booked. A draft is left
     * to the accountant too. (Any other record of a booked payment, an "added" arriving late say, books nothing more.)
     */
    public void found(Exchange exchange) {
        JsonNode entries = data(exchange, "looking up the Payment Entry", true);
        Receipt receipt = exchange.getProperty(Receipt.class.getName(), Receipt.class);
        if (entries.size() > 1) {
            throw new PermanentDeliveryException("ERPNext has " + entries.size() + " Payment Entries with jodo_reference "
                    + receipt.paymentId() + ": make the field unique and remove the copies");
        }
        if (entries.isEmpty()) {
            return;
        }
        JsonNode entry = entries.get(0);
        if (entry.path("docstatus").asInt() == 0) {
            // Not the bridge's (it books submitted entries): a draft someone made or amended by hand. Taken as booked,
            // the money would be delivered and never count; submitting or deleting it is the accountant's call.
            throw new PermanentDeliveryException("Payment Entry " + entry.path("name").asText() + " for "
                    + receipt.paymentId() + " is a draft in ERPNext: " + (receipt.intent() == Receipt.Intent.BOOK
                    ? "submit it there (or delete it), then replay this dead letter"
                    : "Jodo says the payment was " + receipt.status() + ", so delete the draft there, then replay this"
                    + " dead letter"));
        }
        String name = entry.path("name").asText();
        int docstatus = entry.path("docstatus").asInt();
        exchange.setProperty(Flow.ERP_FOUND, name);
        exchange.setProperty(Flow.ERP_FOUND_STATUS, docstatus);
        BigDecimal booked = paidAmount(entry);
        String rebook = "; ERPNext keeps the unique Jodo Reference on a cancelled entry, so an amendment cannot"
                + " carry it: delete the cancelled entry in ERPNext, then replay this dead letter to book "
                + receipt.amount().toPlainString() + " under the same reference";
        if ("UPDATED".equals(receipt.status()) && docstatus == 1 && receipt.amount().compareTo(booked) != 0) {
            throw new PermanentDeliveryException("Payment Entry " + name + " for " + receipt.paymentId()
                    + " is booked at " + booked.toPlainString() + " and Jodo now says " + receipt.amount().toPlainString()
                    + ": a submitted entry cannot be edited, so cancel it" + rebook);
        }
        // The standing is read again: a cancellation of the payment dispatched since this record was planned, and
        // delivered first, is what cancelled the entry. Only when none did do the books disagree with Jodo.
        if (receipt.intent() == Receipt.Intent.BOOK && docstatus == 2 && receipts.standsBooked(receipt.paymentId())) {
            throw new PermanentDeliveryException("Payment Entry " + name + " for " + receipt.paymentId()
                    + " is cancelled in ERPNext, while Jodo says the payment was " + receipt.status() + rebook);
        }
    }

    /**
     * An entry's paid_amount, which Frappe writes with one decimal (5000.0), read exactly (the mapper reads decimals
     * as BigDecimal): compared as an amount, with paise (zero when the entry has none).
     */
    static BigDecimal paidAmount(JsonNode entry) {
        JsonNode amount = entry.path("paid_amount");
        return (amount.isNumber() ? amount.decimalValue() : BigDecimal.ZERO).setScale(2, RoundingMode.HALF_UP);
    }

    /** The request that books the payment: a Payment Entry, submitted at once (docstatus 1). */
    public void create(Exchange exchange) throws IOException {
        Books books = books(exchange);
        Receipt receipt = exchange.getProperty(Receipt.class.getName(), Receipt.class);
        request(exchange, books, "POST", ENTRIES, JSON.writeValueAsString(entry(books, receipt)));
    }

    /**
     * Its name. A clash on the unique jodo_reference means another delivery of the payment (its settlement, its
     * cancellation) booked it since the lookup: tried again, the lookup finds that entry. Frappe answers such a clash
     * with a UniqueValidationError (417, "Jodo Reference must be unique"); a 409 DuplicateEntryError is a clash on
     * the name, taken the same way. A unique clash its message puts on another field is the school's own rule, and a
     * refusal like any other.
     */
    public void created(Exchange exchange) {
        if (bookedMeanwhile(exchange.getMessage())) {
            throw new TransientDeliveryException("ERPNext already has a Payment Entry with this jodo_reference (booked"
                    + " meanwhile by another delivery); it is looked up again on the next try", null);
        }
        JsonNode entry = data(exchange, "creating the Payment Entry", false);
        Receipt receipt = exchange.getProperty(Receipt.class.getName(), Receipt.class);
        if (entry.path("docstatus").asInt(1) == 0) {
            // Asked for submitted, kept as a draft (a workflow that wants an approval, say): not booked yet.
            throw new PermanentDeliveryException("ERPNext kept the new Payment Entry " + entry.path("name").asText()
                    + " for " + receipt.paymentId() + " as a draft: submit it there, then replay this dead letter");
        }
        exchange.setProperty(Flow.ERP_FOUND, entry.path("name").asText());
        exchange.setProperty(Flow.ERP_FOUND_STATUS, entry.path("docstatus").asInt());
        if (receipt.intent() == Receipt.Intent.BOOK) {
            exchange.setProperty(Flow.BOOKED_PAYMENT, receipt.paymentId());
        }
    }

    private static boolean bookedMeanwhile(Message message) {
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status == 409) {
            return true;
        }
        String text = message.getBody(String.class);
        message.setBody(text); // read once: a streamed answer is kept for what reads it after
        if (status != 417 || text == null) {
            return false;
        }
        JsonNode body;
        try {
            body = JSON.readTree(text);
        } catch (IOException notJson) {
            return false;
        }
        // On MariaDB Frappe names the field ("<label> must be unique"); on PostgreSQL it says nothing more.
        String said = said(body, text);
        return "UniqueValidationError".equals(body.path("exc_type").asText())
                && (!said.contains("must be unique") || said.contains("Jodo Reference must be unique")
                || said.contains("jodo_reference must be unique"));
    }

    /** The request that cancels the submitted entry (docstatus 1 to 2), as frappe.client.cancel does. */
    public void cancel(Exchange exchange) throws IOException {
        Map<String, String> which = new LinkedHashMap<>();
        which.put("doctype", "Payment Entry");
        which.put("name", exchange.getProperty(Flow.ERP_FOUND, String.class));
        request(exchange, books(exchange), "POST", CANCEL, JSON.writeValueAsString(which));
    }

    public void cancelled(Exchange exchange) {
        answer(exchange, "cancelling Payment Entry " + exchange.getProperty(Flow.ERP_FOUND, String.class));
        exchange.setProperty(Flow.ERP_FOUND_STATUS, 2);
    }

    private Map<String, Object> entry(Books books, Receipt receipt) {
        MappingFile mapping = books.mapping();
        String party = receipt.party(books.partyField(), books.payerParty());
        if (party == null) {
            // Jodo Pay orders and links need not name a student.
            party = mapping.text("walk-in-party");
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("payment_type", "Receive");
        entry.put("company", mapping.text("company"));
        entry.put("posting_date", receipt.date().toString());
        entry.put("party_type", mapping.text("party-type"));
        entry.put("party", party);
        entry.put("paid_from", receivable(mapping, receipt));
        entry.put("paid_to", mapping.lookup("deposit-accounts", receipt.mode()));
        String modeOfPayment = mapping.table("modes-of-payment").get(receipt.mode());
        if (modeOfPayment != null) {
            entry.put("mode_of_payment", modeOfPayment);
        }
        entry.put("paid_amount", receipt.amount());
        entry.put("received_amount", receipt.amount());
        entry.put("reference_no", receipt.reference());
        entry.put("reference_date", receipt.date().toString());
        entry.put("jodo_reference", receipt.paymentId());
        entry.put("remarks", receipt.description());
        entry.put("docstatus", 1);
        return entry;
    }

    /** The fee heads' account when every component maps to the same one, else the school's receivable account. */
    private static String receivable(MappingFile mapping, Receipt receipt) {
        Map<String, String> heads = mapping.table("fee-head-accounts");
        List<String> accounts = new ArrayList<>();
        for (Receipt.Line line : receipt.balancedLines()) {
            accounts.add(line.feeComponent() == null ? null : heads.get(line.feeComponent()));
        }
        boolean oneAccount = !accounts.isEmpty() && accounts.get(0) != null
                && accounts.stream().allMatch(accounts.get(0)::equals);
        return oneAccount ? accounts.get(0) : mapping.text("receivable-account");
    }

    /** A request to the target's site, with its token: for the reconciliation's reads (ErpnextEntries). */
    Message request(Exchange exchange, String method, String path) {
        return request(exchange, books(exchange), method, path, null);
    }

    private static Message request(Exchange exchange, Books books, String method, String path, String body) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_METHOD, method);
        message.setHeader(Exchange.HTTP_PATH, path);
        message.setHeader("Authorization", books.authorization());
        message.setHeader("Accept", "application/json");
        message.setHeader("Idempotency-Key", exchange.getProperty(Flow.EVENT_ID, String.class));
        if (body != null) {
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        message.setBody(body);
        return message;
    }

    /**
     * Frappe's answer as JSON; anything but a 2xx throws, retried (408, 429, 5xx) or not, with Frappe's reason. A
     * proxy in front of the site may answer instead (an HTML error or maintenance page): its words are the reason, and
     * a 2xx that is not JSON is retried, as it cannot say what ERPNext did.
     */
    static JsonNode answer(Exchange exchange, String step) {
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String text = message.getBody(String.class);
        message.setBody(text); // read once: a streamed answer is kept for what reads it after
        JsonNode body;
        try {
            body = text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException notJson) {
            body = JSON.createObjectNode();
            if (status >= 200 && status < 300) {
                throw new TransientDeliveryException("ERPNext answered " + status + " " + step + " with something"
                        + " other than JSON (a proxy or sign-in page in front of the site?): "
                        + RestTarget.excerpt(text), null);
            }
        }
        if (status >= 200 && status < 300) {
            return body;
        }
        String reason = "ERPNext answered " + status + RestTarget.redirect(status, message) + " " + step + ": "
                + RestTarget.excerpt(said(body, text));
        if (status == 408 || status == 429 || status >= 500) {
            throw new TransientDeliveryException(reason, RestTarget.retryAfter(message.getHeader("Retry-After",
                    String.class)));
        }
        throw new PermanentDeliveryException(reason);
    }

    /**
     * What Frappe answers under {@code data}: the list of entries ({@code list}), or the entry it created, with its
     * name. A 2xx without it (a proxy or a stand-in answering {@code {}}) cannot say what ERPNext holds or did: taken
     * as "none" or "booked" it would book twice or lose the receipt, so it is retried (a create is looked up first).
     */
    static JsonNode data(Exchange exchange, String step, boolean list) {
        JsonNode data = answer(exchange, step).path("data");
        if (list ? data.isArray() : data.isObject() && !data.path("name").asText().isBlank()) {
            return data;
        }
        Message message = exchange.getMessage();
        throw new TransientDeliveryException("ERPNext answered " + message.getHeader(Exchange.HTTP_RESPONSE_CODE)
                + " " + step + " without " + (list ? "the list" : "the entry and its name") + " Frappe answers under"
                + " \"data\": " + RestTarget.excerpt(message.getBody(String.class)), null);
    }

    /** Frappe's error: its exc_type and the first of its _server_messages (a JSON list of JSON texts). */
    private static String said(JsonNode body, String text) {
        if (!body.has("exc_type")) {
            return text == null ? "" : text;
        }
        String message = "";
        try {
            JsonNode messages = JSON.readTree(body.path("_server_messages").asText("[]"));
            if (messages.size() > 0) {
                message = JSON.readTree(messages.get(0).asText()).path("message").asText("");
            }
        } catch (IOException notJson) {
            message = body.path("_server_messages").asText("");
        }
        return body.path("exc_type").asText() + (message.isEmpty() ? "" : ": " + message);
    }

    private Books books(Exchange exchange) {
        return targets.get(exchange.getProperty(Flow.TARGET, String.class));
    }

    static String encode(Object json) throws IOException {
        return URLEncoder.encode(JSON.writeValueAsString(json), StandardCharsets.UTF_8);
    }
}
