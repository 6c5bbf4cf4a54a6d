package com.jodoerp.bridge.store;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The embedded store closed itself, and the bridge stops so that its service manager starts it again.
 *
 * <p>H2 closes its database when it fails to write its file (a full disk, a file size limit, an I/O error), and
 * every statement after that fails with "The database has been closed" for as long as the process lives: webhooks
 * are answered 503, nothing is delivered, and the bridge still looks alive. A start is what recovers it: H2 reopens
 * its file at the last version it wrote, and the webhooks answered since then, kept in the intake journal, are
 * stored again before the bridge takes any. So the bridge exits with 75 (a temporary failure), which systemd's unit
 * ({@code Restart=on-failure}) and a container's restart policy answer by starting it again; while the disk is still
 * full those starts fail, keeping the journal, until there is room.
 */
@Component
public class EmbeddedStoreClosed {

    /** What an exit for this reason returns: EX_TEMPFAIL, "try again later". */
    public static final int EXIT_CODE = 75;
    // org.h2.api.ErrorCode.DATABASE_IS_CLOSED; H2 is a runtime dependency only.
    private static final int H2_DATABASE_IS_CLOSED = 90098;
    private static final Logger log = LoggerFactory.getLogger(EmbeddedStoreClosed.class);

    private final ConfigurableApplicationContext context;
    private final String dataPath;
    private final AtomicBoolean stopping = new AtomicBoolean();

    /** Published by whoever finds the embedded store closed while the bridge runs. */
    public record Found(Throwable failure) {
    }

    public EmbeddedStoreClosed(ConfigurableApplicationContext context, @Value("${bridge.data-path}") String dataPath) {
        this.context = context;
        this.dataPath = dataPath;
    }

    /** Whether {@code failure} says the embedded database has closed itself. */
    public static boolean closed(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_IS_CLOSED) {
                return true;
            }
        }
        return false;
    }

    @EventListener
    public void stop(Found found) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        log.error("The embedded store closed itself after it could not write its file in {} (is the disk full?): {}."
                + " The bridge stops (exit code {}) for its service manager to start it again; the webhooks it answered"
                + " are in the intake journal and are stored at the next start.", dataPath, found.failure().toString(),
                EXIT_CODE);
        // Not on the finder's thread: closing the context stops the work that found it, and waits for it. Not a
        // daemon either (the finder's threads are): the JVM would end with 0 once the context's threads are gone.
        Thread exit = new Thread(() -> System.exit(SpringApplication.exit(context, () -> EXIT_CODE)),
                "embedded-store-closed");
        exit.setDaemon(false);
        exit.start();
    }
}
