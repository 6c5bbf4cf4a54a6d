package com.jodoerp.bridge.canonical;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one table of Jodo's events: the 36 it documents, each with its family (which targets receive it), what it is
 * about ({@code kind}) and, for money events, which Jodo product took the money. The router (routes/
 * route-jodo-event.camel.yaml), the mapper and the check of the targets' families all read it. An event name not
 * listed here is never guessed at: it is parked as unrouted until it is added.
 *
 * <p>Adding an event is one line here (and its mapping, if its kind is new); adding a family is one {@code add}
 * with the new family's name, after which targets may name it in {@code bridge.targets.<name>.families}.
 */
public final class EventCatalog {

    /** What an event is about ({@code kind}) and, for money events, which Jodo product took the money. */
    public record EventType(String family, String kind, String product) {
    }

    private static final Map<String, EventType> EVENTS = new HashMap<>();
    private static final Set<String> ORDER_PRODUCTS = Set.of("order", "page", "payment_link");

    static {
        add("masterdata", "student", null, "masterdata.student.registered", "masterdata.student.activated",
                "masterdata.student.dropped");
        add("direct", "payment", "direct", "direct.payment.added", "direct.payment.updated",
                "direct.payment.cancelled");
        add("flex", "subscription", null, "flex.subscription.setup", "flex.subscription.active",
                "flex.subscription.updated", "flex.subscription.cancelled", "flex.subscription.closed",
                "flex.mandate.cancelled", "flex.mandate.expired");
        add("flex", "payment", "flex", "flex.instalment.debited", "flex.instalment.settled",
                "flex.instalment.bounced", "flex.downpayment.debited", "flex.downpayment.settled");
        add("pay", "payment", "pay", "pay.payment.debited", "pay.payment.settled");
        add("pay", "payment", "order", "order.payment.debited", "order.payment.settled");
        add("pay", "payment", "page", "page.payment.debited", "page.payment.settled");
        add("pay", "payment", "payment_link", "payment_link.payment.debited", "payment_link.payment.settled",
                "payment_link.payment.expired");
        add("cred", "loan", null, "cred.loan.application_started", "cred.loan.application_filled",
                "cred.loan.agreement_signed", "cred.loan.final_approved", "cred.loan.rejected", "cred.loan.canceled",
                "cred.loan.application_expired", "cred.loan.disbursed");
        add("cred", "payment", "cred", "cred.emi.debited");
    }

    /**
     * Public only for Camel: the router calls {@link #family} through {@code beanType}, and Camel keeps one instance
     * of a type it can construct, where for any other it looked the type up in Spring's registry on every event
     * (three {@code NoSuchBeanDefinitionException}s per event, each with its stack trace, in the dispatch profile).
     */
    public EventCatalog() {
        // no state: every method is static
    }

    public static Optional<EventType> lookup(String event) {
        return Optional.ofNullable(EVENTS.get(event));
    }

    public static int size() {
        return EVENTS.size();
    }

    /** The family of {@code event}, or null when the table does not know it (the router then parks it). */
    public static String family(String event) {
        EventType type = event == null ? null : EVENTS.get(event);
        return type == null ? null : type.family();
    }

    /** Every event the table knows, by name. */
    public static Set<String> events() {
        return new TreeSet<>(EVENTS.keySet());
    }

    /** Every family some event belongs to. */
    public static Set<String> families() {
        Set<String> families = new TreeSet<>();
        EVENTS.values().forEach(type -> families.add(type.family()));
        return families;
    }

    /** Products whose payments are Pay orders (order, hosted page, payment link): no student, a payer instead. */
    static boolean isOrder(EventType type) {
        return type.product() != null && ORDER_PRODUCTS.contains(type.product());
    }

    private static void add(String family, String kind, String product, String... events) {
        for (String event : events) {
            EVENTS.put(event, new EventType(family, kind, product));
        }
    }
}
