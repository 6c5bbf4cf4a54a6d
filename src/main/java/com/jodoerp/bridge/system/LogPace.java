package com.jodoerp.bridge.system;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one log line a minute for each subject: what fails at every request or poll (a flood of bad webhooks, the
 * bridge's database out of reach) is told when it starts and then once a minute, never buried under its repeats.
 */
public final class LogPace {

    private static final long MINUTE_MS = 60_000;

    private final Map<String, Long> lastSaid = new ConcurrentHashMap<>();
    private final Clock clock;

    public LogPace(Clock clock) {
        this.clock = clock;
    }

    /** Whether a line about {@code subject} is due now; if so, the next one is due a minute from now. */
    public boolean due(String subject) {
        long now = clock.millis();
        boolean[] due = {false};
        lastSaid.compute(subject, (key, last) -> {
            due[0] = last == null || now - last >= MINUTE_MS;
            return due[0] ? now : last;
        });
        return due[0];
    }
}
