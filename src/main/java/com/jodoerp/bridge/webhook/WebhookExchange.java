package com.jodoerp.bridge.webhook;

/**
 * Names of the exchange properties the intake sets. Properties, not headers: a client can send any
 * header it likes, but it cannot set an exchange property.
 */
public final class WebhookExchange {

    public static final String EVENT_ID = "jodoEventId";
    public static final String EVENT = "jodoEvent";
    public static final String TIMESTAMP = "jodoTimestamp";
    public static final String RECEIVED_AT = "jodoReceivedAt";
    public static final String REMOTE_ADDRESS = "jodoRemoteAddress";

    /** Request attribute where the gate filter leaves the resolved client address. */
    public static final String CLIENT_ADDRESS_ATTRIBUTE = "com.jodoerp.bridge.clientAddress";

    private WebhookExchange() {
    }
}
