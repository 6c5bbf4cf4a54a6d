package com.jodoerp.bridge.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * The file system the embedded store is opened on ({@code jdbc:h2:failstop:<path>}): the disk's files, except that
 * once a write, truncation or sync of an open file has failed, every later one of that file fails too, so the file
 * stays as the last good write left it.
 *
 * <p>That is the state H2's recovery is made for: a process killed in the middle of writing a chunk. Without this,
 * H2 goes on after a failed write. It writes chunks on a thread of its own, and a chunk queued behind the one that
 * failed is still written when it fits into space freed inside the file (a full disk fails only a write that grows
 * the file), and the file's header is pointed at it. That chunk needs the failed one, so at the next start H2 cannot
 * use it and falls back to the newest complete version its quick search finds, which may be older than what was
 * synced, or finds none it can use ("unable to recover a valid set of chunks"). Both were found in stores that had run
 * out of room (chunk 0x13 written after 0x12 failed; 0x18 after 0x17, the file not opened again): webhooks answered
 * 2xx whose intake journal had been dropped at a checkpoint since were gone after the restart, or the bridge did not
 * start (EmbeddedStoreOutOfRoomIT, now and then). Built on H2's documented file system abstraction
 * ({@code FilePathWrapper}), as H2's own {@code retry:} and {@code split:} file systems are.
 */
public class FailStopH2Files extends FilePathWrapper {

    private static final String SCHEME = "failstop";

    /** Makes the scheme known to H2, before the store's first connection; idempotent. */
    public static void register() {
        FilePath.register(new FailStopH2Files());
    }

    /** The embedded store's URL ({@code jdbc:h2:[file:]<path>;...}) on this file system. */
    static String url(String embeddedUrl) {
        String name = StoreKind.h2Name(embeddedUrl);
        return name.startsWith(SCHEME + ":") ? embeddedUrl : "jdbc:h2:" + SCHEME + ":" + name;
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new FailStopChannel(super.open(mode));
    }

    /** A file that takes no write after one has failed. */
    private static final class FailStopChannel extends DelegatingFileChannel {
        private volatile IOException failed;

        FailStopChannel(FileChannel file) {
            super(file);
        }

        @Override
        public int write(ByteBuffer source, long position) throws IOException {
            return unlessAWriteFailed(() -> super.write(source, position));
        }

        @Override
        protected void implTruncate(long size) throws IOException {
            unlessAWriteFailed(() -> {
                super.implTruncate(size);
                return null;
            });
        }

        /** A failed sync counts too: the kernel may have dropped the pages it could not write. */
        @Override
        public void force(boolean metaData) throws IOException {
            unlessAWriteFailed(() -> {
                super.force(metaData);
                return null;
            });
        }

        private <T> T unlessAWriteFailed(Write<T> write) throws IOException {
            IOException first = failed;
            if (first != null) {
                throw new IOException("no more writes to this file after a failed one: " + first.getMessage(), first);
            }
            try {
                return write.run();
            } catch (IOException e) {
                failed = e;
                throw e;
            }
        }
    }

    /** A change to the file. */
    private interface Write<T> {
        T run() throws IOException;
    }
}
