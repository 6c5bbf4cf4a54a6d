package com.jodoerp.bridge.webhook;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Refused webhooks in the log: at most one line per reason a minute, saying how many more were left out, so a flood
 * of bad requests cannot flood the log (every refusal is still counted in bridge_webhooks_total{outcome}). Lines
 * name the client and the reason; the reason's message never quotes the body.
 */
@Component
public class RefusalLog {

    private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);
    private static final long WINDOW_MS = 60_000;

    /** One reason's minute: when its last line was written, and how many refusals were left out since. */
    private static final class Window {
        private final AtomicLong loggedAt = new AtomicLong(Long.MIN_VALUE / 2);
        private final AtomicLong leftOut = new AtomicLong();
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Clock clock;

    public RefusalLog(Clock clock) {
        this.clock = clock;
    }

    public void refused(String client, String code, String message) {
        Window window = windows.computeIfAbsent(code, c -> new Window());
        long now = clock.millis();
        long last = window.loggedAt.get();
        if (now - last < WINDOW_MS || !window.loggedAt.compareAndSet(last, now)) {
            window.leftOut.incrementAndGet();
            return;
        }
        long leftOut = window.leftOut.getAndSet(0);
        if (leftOut == 0) {
            log.info("Refused webhook from {}: {} ({})", client, code, message);
        } else {
            log.info("Refused webhook from {}: {} ({}); {} more refused for this reason in the minute before were"
                    + " not logged", client, code, message, leftOut);
        }
    }
}
