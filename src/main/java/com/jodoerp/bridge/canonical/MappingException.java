package com.jodoerp.bridge.canonical;

/**
 * A value in Jodo's payload that cannot be turned into the canonical record. Permanent: the event is
 * parked with this reason and never delivered with a guessed value.
 */
public class MappingException extends RuntimeException {

    public MappingException(String field, String problem) {
        super(field + ": " + problem, null, false, false);
    }
}
