package com.jodoerp.bridge.observability;

import org.slf4j.MDC;

/**
 * The event (and target) a log line is about, as logging-context fields: structured logs
 * ({@code logging.structured.format.console}) carry them as {@code event_id} and {@code target}, so an operator
 * finds every line about one event with one query instead of parsing messages.
 */
public final class EventLogContext implements AutoCloseable {

    public static final String EVENT_ID = "event_id";
    public static final String TARGET = "target";

    private EventLogContext() {
    }

    /** The lines logged until {@link #close()} are about this event (and target, when not null). */
    public static EventLogContext about(String eventId, String target) {
        enter(eventId, target);
        return new EventLogContext();
    }

    /**
     * For work that starts in one step and ends in another on the same thread (a delivery: opened, sent through its
     * target's route, then settled): {@link #leave()} ends it.
     */
    public static void enter(String eventId, String target) {
        put(EVENT_ID, eventId);
        put(TARGET, target);
    }

    /** The event the lines logged now are about, for a message that names it (null outside such work). */
    public static String eventId() {
        return MDC.get(EVENT_ID);
    }

    public static void leave() {
        MDC.remove(EVENT_ID);
        MDC.remove(TARGET);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        leave();
    }
}
