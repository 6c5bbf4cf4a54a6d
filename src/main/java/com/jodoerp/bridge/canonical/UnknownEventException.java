package com.jodoerp.bridge.canonical;

/** An event name the bridge has no mapping for: parked as unrouted, never guessed at. */
public class UnknownEventException extends RuntimeException {

    public UnknownEventException(String message) {
        super(message, null, false, false);
    }
}
