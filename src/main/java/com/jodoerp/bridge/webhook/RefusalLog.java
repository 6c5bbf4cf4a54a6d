package com.jodoerp.bridge.webhook;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.jodoerp.bridge.system.LogPace;
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

    /** Per reason, how many refusals were left out of the log since its last line. */
    private final Map<String, AtomicLong> leftOut = new ConcurrentHashMap<>();
    private final LogPace pace;

    public RefusalLog(Clock clock) {
        this.pace = new LogPace(clock);
    }

    public void refused(String client, String code, String message) {
        AtomicLong unsaid = leftOut.computeIfAbsent(code, c -> new AtomicLong());
        if (!pace.due(code)) {
            unsaid.incrementAndGet();
            return;
        }
        long unlogged = unsaid.getAndSet(0);
        if (unlogged == 0) {
            log.info("Refused webhook from {}: {} ({})", client, code, message);
        } else {
            log.info("Refused webhook from {}: {} ({}); {} more refused for this reason in the minute before were"
                    + " not logged", client, code, message, unlogged);
        }
    }
}
