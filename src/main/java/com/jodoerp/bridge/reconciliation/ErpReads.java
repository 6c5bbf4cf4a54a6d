package com.jodoerp.bridge.reconciliation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.jodoerp.bridge.system.BackgroundPriority;
import jakarta.annotation.PreDestroy;
import org.springframework.stereotype.Component;

/**
 * The ERP's side of a reconciliation day, read in the background: an operator's request (the admin API, the ops page)
 * never waits for an ERP, which may be slow or hung for a whole read timeout. A request is answered with the latest
 * read of that target's day, when one has finished, and starts a new read when none is under way and the latest
 * began more than a few seconds ago, so asking again a moment later shows the ERP as it is now; until a first read
 * finishes, the ERP's side is said to be under way. The daily file, written in the background already, waits for its own
 * read. Reads of days no longer asked about are forgotten after a while ({@link #KEPT}).
 */
@Component
class ErpReads {

    /** A read is answered without starting another for this long after it began. */
    static final Duration FRESH = Duration.ofSeconds(5);
    /**
     * Reads kept for days no one has asked about for this long are forgotten, as are the oldest beyond {@link #MOST}:
     * each holds a day of the ERP's payments, and an operator looking through a term asks for many days once.
     */
    static final Duration KEPT = Duration.ofHours(1);
    static final int MOST = 64;

    /** A finished read: what the ERP holds, or why it could not be read, and when the read began. */
    record Read<T>(T holdings, Exception failure, Instant startedAt) {
        /** Reads now, on this thread: what the ERP holds, or why it could not be read. */
        static <T> Read<T> now(Callable<T> read, Instant startedAt) {
            try {
                return new Read<>(read.call(), null, startedAt);
            } catch (Exception e) {
                return new Read<>(null, e, startedAt);
            }
        }
    }

    private record Key(String target, LocalDate day) {
    }

    private final Map<Key, Read<?>> latest = new ConcurrentHashMap<>();
    private final Set<Key> reading = ConcurrentHashMap.newKeySet();
    private final ExecutorService readers = Executors.newFixedThreadPool(2,
            work -> BackgroundPriority.newThread(work, "reconciliation-read"));
    private final Clock clock;

    ErpReads(Clock clock) {
        this.clock = clock;
    }

    /**
     * The latest finished read of {@code target}'s {@code day}, or null while the first is under way; starts
     * {@code read} in the background when none is running and the latest is missing or older than {@link #FRESH}.
     */
    @SuppressWarnings("unchecked")
    <T> Read<T> latest(String target, LocalDate day, Callable<T> read) {
        Key key = new Key(target, day);
        Read<T> done = (Read<T>) latest.get(key);
        Instant now = clock.instant();
        if ((done == null || done.startedAt().plus(FRESH).isBefore(now)) && reading.add(key)) {
            readers.execute(() -> {
                try {
                    keep(key, Read.now(read, now));
                } finally {
                    reading.remove(key);
                }
            });
        }
        return done;
    }

    /**
     * Keeps the read, forgetting those that are no longer asked about (see {@link #KEPT}) first: whoever finds the
     * new read finds the forgotten ones gone.
     */
    private void keep(Key key, Read<?> read) {
        Instant forgotten = clock.instant().minus(KEPT);
        latest.values().removeIf(kept -> kept.startedAt().isBefore(forgotten));
        while (latest.size() >= MOST && !latest.containsKey(key)) {
            latest.entrySet().stream().min(Comparator.comparing(entry -> entry.getValue().startedAt()))
                    .ifPresent(oldest -> latest.remove(oldest.getKey(), oldest.getValue()));
        }
        latest.put(key, read);
    }

    @PreDestroy
    void stop() {
        readers.shutdownNow();
    }
}
