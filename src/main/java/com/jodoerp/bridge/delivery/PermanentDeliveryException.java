package com.jodoerp.bridge.delivery;

/**
 * A target refused a record for good (a 4xx from a REST ERP, say): retrying cannot help, so the
 * delivery becomes a dead letter at once, with this message as its reason.
 */
public class PermanentDeliveryException extends RuntimeException {

    public PermanentDeliveryException(String message) {
        super(message);
    }

    /** @param cause what the target said, kept for the dead letter's reason */
    public PermanentDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
