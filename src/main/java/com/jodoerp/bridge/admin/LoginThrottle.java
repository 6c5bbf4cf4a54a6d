package com.jodoerp.bridge.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Failed operator logins, counted per user name and per client address. Four failures in a row cost nothing; the
 * fifth locks the user name and the address for a second, and every further failure doubles that, up to 15 minutes;
 * a locked login is refused before its password is even checked, right or wrong. A success clears both counts.
 */
@Component
public class LoginThrottle {

    static final int FREE_FAILURES = 5;
    private static final Duration LONGEST_LOCK = Duration.ofMinutes(15);
    /** Enough for every user and address that could matter; past it, the unlocked ones are forgotten. */
    private static final int REMEMBERED = 10_000;

    private record Failures(int inARow, Instant lockedUntil) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long logins as {@code user} or from {@code address} stay refused; zero when they are not. */
    public Duration lockedFor(String user, String address) {
        Instant now = Instant.now(clock);
        Duration longest = Duration.ZERO;
        for (String key : keys(user, address)) {
            Failures known = failures.get(key);
            if (known != null && known.lockedUntil().isAfter(now)) {
                Duration left = Duration.between(now, known.lockedUntil());
                longest = left.compareTo(longest) > 0 ? left : longest;
            }
        }
        return longest;
    }

    /** Counts a failure; returns how many in a row there now are for the user or the address, whichever is more. */
    public int failed(String user, String address) {
        Instant now = Instant.now(clock);
        if (failures.size() > REMEMBERED) {
            failures.values().removeIf(known -> !known.lockedUntil().isAfter(now));
        }
        int most = 0;
        for (String key : keys(user, address)) {
            Failures counted = failures.merge(key, new Failures(1, now), (old, one) -> {
                int inARow = old.inARow() + 1;
                return new Failures(inARow, inARow < FREE_FAILURES ? now : now.plus(lock(inARow)));
            });
            most = Math.max(most, counted.inARow());
        }
        return most;
    }

    public void succeeded(String user, String address) {
        for (String key : keys(user, address)) {
            failures.remove(key);
        }
    }

    static Duration lock(int inARow) {
        int doublings = Math.min(inARow - FREE_FAILURES, 20);
        Duration lock = Duration.ofSeconds(1L << doublings);
        return lock.compareTo(LONGEST_LOCK) > 0 ? LONGEST_LOCK : lock;
    }

    private static String[] keys(String user, String address) {
        return new String[] {"user:" + user, "address:" + address};
    }
}
