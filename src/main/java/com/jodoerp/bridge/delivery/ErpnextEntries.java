package com.jodoerp.bridge.delivery;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.flow.Flow;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The ERPNext transport's read side, for the daily reconciliation (the {@code erpnext-reconciliation} template in
 * routes/erpnext-target.camel.yaml): the Payment Entries ERPNext holds for Jodo payments, read with Frappe's list
 * query a page at a time. First the entries posted on the day that carry a {@code jodo_reference} (the school's
 * own entries carry none), then, by reference, any payment the bridge delivered that day and did not find among
 * them: an entry keeps the date it was booked on, and a later record of its payment may name another day. Each
 * entry is answered as {@code payment_id}, {@code amount} and {@code status} in the books' words: {@code booked}
 * (submitted), {@code cancelled} or {@code draft}.
 */
@Component("erpnextEntries")
public class ErpnextEntries {

    /** Property in: how many entries one list request asks for (the template's reconciliation-page-size). */
    public static final String PAGE_SIZE = "jodoErpPageSize";
    private static final String LISTINGS = "jodoErpListings";
    private static final String HELD = "jodoErpHeld";
    private static final String DELIVERED = "jodoErpDelivered";
    private static final String MORE = "jodoErpMore";
    private static final int BY_REFERENCE = 40;
    private static final String[] DOCSTATUS = {Receipt.DRAFT, Receipt.BOOKED, Receipt.CANCELLED};

    /** One list query: its filters, where its next page starts, and whether it is the day's (else by reference). */
    private record Listing(List<List<Object>> filters, int start, boolean ofTheDay) {
    }

    private final ErpnextTarget target;

    public ErpnextEntries(ErpnextTarget target) {
        this.target = target;
    }

    /**
     * Starts with the day's entries (header {@link Flow#DAY}; the body: the ids of the payments the bridge delivered
     * that day); leaves the first request on the message.
     */
    public void first(Exchange exchange) throws IOException {
        String day = exchange.getMessage().getHeader(Flow.DAY, String.class);
        Deque<Listing> listings = new ArrayDeque<>();
        listings.add(new Listing(List.of(List.of("posting_date", "=", day), List.of("jodo_reference", "is", "set")), 0,
                true));
        exchange.setProperty(LISTINGS, listings);
        exchange.setProperty(DELIVERED, List.copyOf(exchange.getMessage().getBody(Collection.class)));
        exchange.setProperty(HELD, new LinkedHashMap<String, Map<String, Object>>());
        next(exchange);
    }

    /** Takes in one page; leaves the next request on the message, or, when all are read, the entries as the body. */
    @SuppressWarnings("unchecked")
    public void page(Exchange exchange) throws IOException {
        JsonNode data = ErpnextTarget.data(exchange, "listing Payment Entries", true);
        Deque<Listing> listings = exchange.getProperty(LISTINGS, Deque.class);
        Map<String, Map<String, Object>> held = exchange.getProperty(HELD, Map.class);
        int fresh = 0;
        for (JsonNode entry : data) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("payment_id", entry.path("jodo_reference").asText());
            row.put("amount", ErpnextTarget.paidAmount(entry));
            int docstatus = entry.path("docstatus").asInt(-1);
            row.put("status", docstatus >= 0 && docstatus < DOCSTATUS.length ? DOCSTATUS[docstatus]
                    : "docstatus " + entry.path("docstatus").asText());
            if (held.put(entry.path("jodo_reference").asText(), row) == null) {
                fresh++;
            }
        }
        Listing read = listings.poll();
        int pageSize = pageSize(exchange);
        // A full page asks for the next; one with nothing new ends the listing, should a server (or a proxy that
        // drops the query) answer the same page again and again.
        if (data.size() >= pageSize && fresh > 0) {
            listings.addFirst(new Listing(read.filters(), read.start() + pageSize, read.ofTheDay()));
        } else if (read.ofTheDay()) {
            List<String> unseen = new ArrayList<>();
            for (Object id : exchange.getProperty(DELIVERED, List.class)) {
                if (!held.containsKey(String.valueOf(id))) {
                    unseen.add(String.valueOf(id));
                }
            }
            // The ids go in the URL: a few dozen at a time keep it well under a web server's limit (nginx's 8 KB).
            int chunk = Math.min(pageSize, BY_REFERENCE);
            for (int from = 0; from < unseen.size(); from += chunk) {
                listings.add(new Listing(List.of(List.of("jodo_reference", "in",
                        unseen.subList(from, Math.min(unseen.size(), from + chunk)))), 0, false));
            }
        }
        next(exchange);
    }

    private void next(Exchange exchange) throws IOException {
        Listing listing = (Listing) exchange.getProperty(LISTINGS, Deque.class).peek();
        exchange.setProperty(MORE, listing != null);
        if (listing == null) {
            exchange.getMessage().removeHeaders("*");
            exchange.getMessage().setBody(List.copyOf(exchange.getProperty(HELD, Map.class).values()));
            return;
        }
        // Ordered by name, so that pages do not shift while entries are added or modified meanwhile.
        String query = "filters=" + ErpnextTarget.encode(listing.filters())
                + "&fields=" + ErpnextTarget.encode(List.of("name", "jodo_reference", "paid_amount", "docstatus"))
                + "&order_by=" + URLEncoder.encode("name asc", StandardCharsets.UTF_8)
                + "&limit_start=" + listing.start() + "&limit_page_length=" + pageSize(exchange);
        target.request(exchange, "GET", ErpnextTarget.ENTRIES).setHeader(Exchange.HTTP_QUERY, query);
    }

    private static int pageSize(Exchange exchange) {
        return exchange.getProperty(PAGE_SIZE, 500, Integer.class);
    }
}
