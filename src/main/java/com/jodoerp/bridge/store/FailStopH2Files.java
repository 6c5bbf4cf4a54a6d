package com.jodoerp.bridge.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;

import org.h2.store.fs.FileBaseDefault;
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
 * use it and falls back to the newest complete version its quick search finds, which may be seconds older than what
 * was synced: found in a store that had run out of room (chunk 0x13 written after 0x12 failed). Webhooks answered 2xx
 * whose intake journal had been dropped at a checkpoint since were gone after the restart (EmbeddedStoreOutOfRoomIT,
 * now and then). Built on H2's documented file system abstraction ({@code FilePathWrapper}), as H2's own
 * {@code retry:} and {@code split:} file systems are.
 */
public class FailStopH2Files extends FilePathWrapper {

    static final String SCHEME = "failstop";
    private static final String H2 = "jdbc:h2:";

    /** Makes the scheme known to H2, before the store's first connection; idempotent. */
    public static void register() {
        FilePath.register(new FailStopH2Files());
    }

    /** The embedded store's URL ({@code jdbc:h2:[file:]<path>;...}) on this file system. */
    static String url(String embeddedUrl) {
        String name = embeddedUrl.substring(H2.length());
        if (name.startsWith(SCHEME + ":")) {
            return embeddedUrl;
        }
        return H2 + SCHEME + ":" + (name.startsWith("file:") ? name.substring("file:".length()) : name);
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new FailStopChannel(super.open(mode));
    }

    /** A file that takes no write after one has failed; H2's base class keeps the position for the calls using it. */
    private static final class FailStopChannel extends FileBaseDefault {
        private final FileChannel file;
        private volatile IOException failed;

        FailStopChannel(FileChannel file) {
            this.file = file;
        }

        @Override
        public int write(ByteBuffer source, long position) throws IOException {
            checkNoWriteFailed();
            try {
                return file.write(source, position);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        protected void implTruncate(long size) throws IOException {
            checkNoWriteFailed();
            try {
                file.truncate(size);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        /** A failed sync counts too: the kernel may have dropped the pages it could not write. */
        @Override
        public void force(boolean metaData) throws IOException {
            checkNoWriteFailed();
            try {
                file.force(metaData);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        private void checkNoWriteFailed() throws IOException {
            IOException first = failed;
            if (first != null) {
                throw new IOException("no more writes to this file after a failed one: " + first.getMessage(), first);
            }
        }

        private IOException failed(IOException e) {
            failed = e;
            return e;
        }

        @Override
        public int read(ByteBuffer target, long position) throws IOException {
            return file.read(target, position);
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return file.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }
    }
}
