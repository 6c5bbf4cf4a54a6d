package com.jodoerp.bridge.dispatch;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jodoerp.bridge.canonical.CanonicalMapper;
import com.jodoerp.bridge.canonical.MappingException;
import com.jodoerp.bridge.canonical.UnknownEventException;
import com.jodoerp.bridge.flow.Flow;
import com.jodoerp.bridge.flow.SchoolProperties;
import com.jodoerp.bridge.observability.EventLogContext;
import com.jodoerp.bridge.reconciliation.PaymentFact;
import com.jodoerp.bridge.system.Redaction;
import com.jodoerp.bridge.system.StorableText;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Called by the router for each stored event once its family is decided (or not): maps it to the canonical
 * record, or parks it with the reason. Never throws for a bad event, so one cannot hold up a batch.
 */
@Component("eventDispatcher")
public class EventDispatcher {

    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

    private final CanonicalMapper mapper = new CanonicalMapper();
    private final ZoneId zone;

    public EventDispatcher(SchoolProperties school) {
        this.zone = school.zone();
    }

    public DispatchOutcome mapOrPark(Exchange exchange) {
        String eventId = exchange.getProperty(Flow.EVENT_ID, String.class);
        String event = exchange.getProperty(Flow.EVENT, String.class);
        try (EventLogContext about = EventLogContext.about(eventId, null)) {
            DispatchOutcome outcome = map(eventId, event, exchange.getProperty(Flow.FAMILY, String.class),
                    exchange.getMessage().getBody(byte[].class), exchange.getProperty(Flow.RECEIVED_AT, Instant.class));
            if (!outcome.routed()) {
                // The reason says how: unrouted, or the stored body or its mapping failed, and where.
                log.warn("Event {} ({}) parked: {}", eventId, event, outcome.reason());
            }
            return outcome;
        }
    }

    /**
     * The stored event {@code eventId} (its raw body) mapped to its canonical record, or the outcome that parks it
     * saying why; logs nothing, as its callers say what the outcome means to them.
     */
    DispatchOutcome map(String eventId, String event, String family, byte[] rawBody, Instant receivedAt) {
        JsonNode envelope;
        try {
            envelope = CanonicalMapper.read(rawBody);
        } catch (MappingException e) {
            return DispatchOutcome.failed(eventId, event, family, "reading the stored event failed: " + e.getMessage(),
                    null);
        }
        String student = studentId(envelope);
        if (family == null) {
            return DispatchOutcome.unrouted(eventId, event, null, "unrouted: no route for event '" + event + "'",
                    student);
        }
        try {
            ObjectNode canonical = mapper.map(envelope, family, receivedAt);
            return DispatchOutcome.routed(eventId, event, family, CanonicalMapper.write(canonical), student,
                    paymentFact(canonical));
        } catch (UnknownEventException e) {
            return DispatchOutcome.unrouted(eventId, event, family, "unrouted: " + e.getMessage(), student);
        } catch (MappingException e) {
            return DispatchOutcome.failed(eventId, event, family, "mapping failed: " + e.getMessage(), student);
        }
    }

    /**
     * Whatever else went wrong while dispatching one event (a bug, or a route an integrator changed): that event
     * alone is parked as failed, with the cause, and the rest of its batch is recorded as usual.
     */
    public DispatchOutcome failed(Exchange exchange) {
        String eventId = exchange.getProperty(Flow.EVENT_ID, String.class);
        String event = exchange.getProperty(Flow.EVENT, String.class);
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = "dispatch failed: " + (error == null ? "unknown error" : Redaction.summary(error, 1900));
        try (EventLogContext about = EventLogContext.about(eventId, null)) {
            log.warn("Event {} ({}) parked: {}", eventId, event, reason);
        }
        return DispatchOutcome.failed(eventId, event, exchange.getProperty(Flow.FAMILY, String.class), reason, null);
    }

    /**
     * What a payment record says about its payment, for the ledger reconciliation reads; null for other records and
     * for Cred EMIs, which the parent pays to the lender, not to the school.
     */
    private PaymentFact paymentFact(ObjectNode record) {
        JsonNode payment = record.path("payment");
        if (!"payment".equals(record.path("kind").asText()) || "cred".equals(payment.path("product").asText())
                || !payment.path("id").isTextual()) {
            return null;
        }
        Instant occurred = Instant.parse(record.path("occurred_at").asText());
        Instant paid = payment.path("paid_at").isTextual() ? Instant.parse(payment.path("paid_at").asText()) : null;
        return new PaymentFact(payment.path("id").asText(), record.path("event_id").asText(),
                record.path("event").asText(), record.path("family").asText(), payment.path("status").asText(),
                payment.path("precedence").asInt(1), payment.path("amount").isNumber()
                ? payment.path("amount").decimalValue() : null, occurred, paid,
                LocalDate.ofInstant(paid == null ? occurred : paid, zone));
    }

    /** Best effort: the student id as a string when the payload has a usable one, else null. */
    private static String studentId(JsonNode envelope) {
        JsonNode id = envelope.path("payload").path("jodo_student_id");
        boolean usable = id.isIntegralNumber() || id.isTextual() && StorableText.firstUnstorable(id.asText()) < 0;
        return usable ? id.asText() : null;
    }
}
