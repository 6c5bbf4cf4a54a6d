package com.jodoerp.bridge.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Targets that stopped answering: an ERP that accepts connections and never answers (or a database that hangs) makes
 * each attempt last a whole timeout, and a target's deliveries go in batches that end with their slowest attempt, so
 * each batch of its records would wait that long, and each attempt hold a call open. After a transient failure that
 * took {@code bridge.delivery.slow-attempt} or longer, or an attempt sent apart that has no answer by then
 * (CallsApart), the target's other deliveries fail at once, without a call, and wait out a hold (the retry backoff's
 * first wait, doubled at each slow failure up to its longest); then one delivery goes through as a probe, and the
 * first answer that comes in time lifts the hold. Each instance keeps its own holds.
 */
@Component
public class SlowTargets {

    private static final Logger log = LoggerFactory.getLogger(SlowTargets.class);

    /** A target on hold: until when, the hold's length (doubled next time), why, and whether a probe is out. */
    private record Hold(Instant until, Duration period, String reason, boolean probing) {
    }

    private final Map<String, Hold> holds = new ConcurrentHashMap<>();
    private final DeliveryProperties properties;
    private final Clock clock;

    public SlowTargets(DeliveryProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Before an attempt: returns when it may go to the target (true when it is the hold's probe, false when there is
     * no hold), else throws a transient failure asking to be tried again once the hold is over.
     */
    public boolean admit(String target) {
        Instant now = clock.instant();
        Hold[] refusing = new Hold[1];
        boolean[] probe = new boolean[1];
        holds.computeIfPresent(target, (name, hold) -> {
            if (hold.probing() || now.isBefore(hold.until())) {
                refusing[0] = hold;
                return hold;
            }
            probe[0] = true;
            return new Hold(hold.until(), hold.period(), hold.reason(), true);
        });
        Hold hold = refusing[0];
        if (hold != null) {
            Duration wait = hold.probing() ? hold.period() : Duration.between(now, hold.until());
            throw new TransientDeliveryException("target '" + target + "' did not answer in time ("
                    + hold.reason() + "): its deliveries wait without a call until one sent from time to time is"
                    + " answered", wait);
        }
        return probe[0];
    }

    /** How long a batch waits for an attempt sent apart (CallsApart) before the attempt goes on waiting alone. */
    public Duration callWait() {
        return properties.slowAttempt();
    }

    /** The target's hold period now (how long a delivery refused by it waits), or the retry's first wait. */
    public Duration holdPeriod(String target) {
        Hold hold = holds.get(target);
        return hold == null ? properties.retry().initialBackoff() : hold.period();
    }

    /** After an admitted attempt: an answer in time lifts the target's hold; a slow transient failure holds it. */
    public void attempted(String target, boolean failedTransiently, Duration took, String error) {
        if (!failedTransiently || took == null || took.compareTo(properties.slowAttempt()) < 0) {
            if (holds.remove(target) != null) {
                log.info("Target {} answers again: its deliveries go on", target);
            }
            return;
        }
        hold(target, "an attempt failed after " + took.toMillis() + " ms: " + RestTarget.excerpt(error));
    }

    /** An attempt sent apart has had no answer in {@link #callWait()}: the target is held as if it had failed. */
    public void unanswered(String target) {
        hold(target, "an attempt had no answer after " + callWait().toMillis() + " ms");
    }

    private void hold(String target, String reason) {
        Instant now = clock.instant();
        boolean[] held = new boolean[1];
        Hold hold = holds.compute(target, (name, previous) -> {
            if (previous != null && !previous.probing()) {
                // Attempts that were under way together when the first of them set the hold: it stands as it is.
                return previous;
            }
            held[0] = true;
            Duration period = previous == null ? properties.retry().initialBackoff()
                    : min(previous.period().multipliedBy(2), properties.retry().maxBackoff());
            return new Hold(now.plus(period), period, reason, false);
        });
        if (held[0]) {
            log.warn("Target {} did not answer in time ({}); its other deliveries wait {} ms", target, reason,
                    hold.period().toMillis());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
