package com.jodoerp.bridge.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;

import org.h2.store.fs.FileBaseDefault;

/**
 * A file of one of H2's file systems ({@code FilePathWrapper}) that hands every call H2 makes to the disk's file:
 * the base for a file system that changes only how the file is written ({@link FailStopH2Files}, and the tests'
 * full-disk double). H2's base class keeps the position for the calls that use one.
 */
public class DelegatingFileChannel extends FileBaseDefault {

    private final FileChannel file;

    public DelegatingFileChannel(FileChannel file) {
        this.file = file;
    }

    @Override
    public int write(ByteBuffer source, long position) throws IOException {
        return file.write(source, position);
    }

    @Override
    protected void implTruncate(long size) throws IOException {
        file.truncate(size);
    }

    @Override
    public void force(boolean metaData) throws IOException {
        file.force(metaData);
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
