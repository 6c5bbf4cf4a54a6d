package com.jodoerp.bridge.inbox;

import org.springframework.dao.TransientDataAccessException;

/**
 * The intake could not hand a webhook to a writer (they were all busy for {@code bridge.intake.queue-timeout},
 * or the bridge is stopping). Nothing was stored; like a database outage it is answered 503 and Jodo retries.
 */
public class StoreBusyException extends TransientDataAccessException {

    public StoreBusyException(String message) {
        super(message);
    }
}
