package com.jodoerp.bridge.system;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * How a group-commit writer takes its next batch: it waits a little for a first item (so it can notice it should
 * stop), then takes whatever else is already waiting, up to the batch's size: under load a batch grows to what
 * arrived while the previous one was written, and when quiet one item is written at once.
 */
public final class QueueBatches {

    private static final long FIRST_WAIT_MILLIS = 200;

    private QueueBatches() {
    }

    /** Adds the next batch to {@code into}; false when nothing came within the wait. */
    public static <T> boolean next(BlockingQueue<T> queue, int maxSize, List<T> into) throws InterruptedException {
        T first = queue.poll(FIRST_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        if (first == null) {
            return false;
        }
        into.add(first);
        queue.drainTo(into, maxSize - 1);
        return true;
    }
}
