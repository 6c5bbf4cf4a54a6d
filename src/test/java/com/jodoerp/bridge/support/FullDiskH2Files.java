package com.jodoerp.bridge.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.jodoerp.bridge.store.DelegatingFileChannel;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * A file system for H2 ({@code jdbc:h2:fulldisk:<path>}) on which one chosen write of the database file is held and
 * then fails as on a full disk, without writing anything: what H2's own writer meets when the disk fills while it
 * writes a chunk. Built on H2's documented file system abstraction ({@code FilePathWrapper}, the way H2's own
 * {@code rec:} and {@code retry:} file systems wrap the default one); every other call goes to the real file.
 */
public class FullDiskH2Files extends FilePathWrapper {

    private static final String SCHEME = "fulldisk";
    /** A bound on how long the armed write waits for its release, so a failed test leaves no H2 thread stuck. */
    private static final Duration MOST_HELD = Duration.ofSeconds(30);
    private static volatile CountDownLatch failing = new CountDownLatch(0);
    private static volatile CountDownLatch released = new CountDownLatch(0);
    private static final AtomicBoolean ARMED = new AtomicBoolean();
    private static final AtomicInteger WRITES_SINCE_FAILURE = new AtomicInteger();

    /** Makes the scheme known to H2; idempotent. */
    public static void register() {
        FilePath.register(new FullDiskH2Files());
    }

    /** The next write to a {@code .mv.db} file is held until {@link #releaseFailingWrite()}, then fails. */
    public static void failNextWrite() {
        failing = new CountDownLatch(1);
        released = new CountDownLatch(1);
        ARMED.set(true);
    }

    /** Lets the held write go on, to fail as on a full disk, writing nothing. */
    public static void releaseFailingWrite() {
        released.countDown();
    }

    /** Writes of a {@code .mv.db} file that reached the file since the last failed one. */
    public static int writesSinceFailure() {
        return WRITES_SINCE_FAILURE.get();
    }

    /** Waits until the armed write has begun (and is held); false if none began in time. */
    public static boolean awaitFailingWrite(Duration timeout) throws InterruptedException {
        return failing.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Channel(super.open(mode), name.endsWith(".mv.db"));
    }

    /** The real file, but for the one armed write. */
    private static final class Channel extends DelegatingFileChannel {
        private final boolean database;

        Channel(FileChannel file, boolean database) {
            super(file);
            this.database = database;
        }

        @Override
        public int write(ByteBuffer source, long position) throws IOException {
            failIfArmed();
            int written = super.write(source, position);
            if (database) {
                WRITES_SINCE_FAILURE.incrementAndGet();
            }
            return written;
        }

        private void failIfArmed() throws IOException {
            if (!database || !ARMED.compareAndSet(true, false)) {
                return;
            }
            failing.countDown();
            try {
                released.await(MOST_HELD.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            WRITES_SINCE_FAILURE.set(0);
            throw new IOException("No space left on device (simulated)");
        }
    }
}
