package com.jodoerp.bridge.system;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A background task run a second after each run ends, on a daemon thread of its own, that is let finish rather
 * than interrupted when it stops: an interrupt inside H2's file I/O closes the store's file channel
 * (ClosedByInterruptException) and every later read of the store fails.
 */
public final class EverySecond {

    private final ScheduledExecutorService runs;

    private EverySecond(String threadName, Runnable task, boolean background) {
        runs = Executors.newSingleThreadScheduledExecutor(work -> {
            if (background) {
                return BackgroundPriority.newThread(work, threadName);
            }
            Thread thread = new Thread(work, threadName);
            thread.setDaemon(true);
            return thread;
        });
        runs.scheduleWithFixedDelay(task, 1, 1, TimeUnit.SECONDS);
    }

    public static EverySecond start(String threadName, Runnable task) {
        return new EverySecond(threadName, task, false);
    }

    /** The same at the lowest priority, for upkeep that gives way to webhooks (see {@link BackgroundPriority}). */
    public static EverySecond inBackground(String threadName, Runnable task) {
        return new EverySecond(threadName, task, true);
    }

    /** Schedules no more runs and waits, up to 30 s, for a run in progress to end by itself. */
    public void stop() {
        runs.shutdown();
        try {
            runs.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
