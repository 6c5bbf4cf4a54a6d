package com.jodoerp.bridge.system;

import org.springframework.stereotype.Component;

/**
 * Webhooks first: the threads that route, map, deliver, prune, reconcile, replay and compact run at Java's lowest
 * priority, the web server and the intake at the normal one. On two cores a burst of webhooks otherwise queues
 * behind the delivery of the webhooks before it: measured at 1,000 events/s with the whole pipeline running, the
 * answer took 38-417 ms at the median with every thread alike, 6-13 ms with the background threads at niceness 10
 * (bench/RESULTS.md, 2026-12-02). Nothing is lost by it: an accepted webhook is stored, and the backlog is worked
 * off on whatever CPU the webhooks leave.
 *
 * <p>Java priorities reach the operating system only with {@code -XX:ThreadPriorityPolicy=1}, which the shipped
 * launch settings (config/jvm.options) set together with the niceness Java's lowest priority maps to (10); without
 * them every thread simply runs as before. Lowering a thread's own priority needs no privilege.
 *
 * <p>What renews claims and what stores webhooks stays at the normal priority: a claim must not lapse because its
 * holder is slow, and the intake must never wait for background work.
 */
@Component("backgroundPriority")
public class BackgroundPriority {

    /**
     * Lowers the calling thread's priority; a step at the start of background routes, whose thread pools then make
     * their threads at the same priority.
     */
    public void apply() {
        Thread current = Thread.currentThread();
        // Each change is a system call; the priority is checked first so a loop pays it once.
        if (current.getPriority() != Thread.MIN_PRIORITY) {
            current.setPriority(Thread.MIN_PRIORITY);
        }
    }

    /** A daemon thread for background work, at the lowest priority. */
    public static Thread newThread(Runnable work, String name) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    }
}
