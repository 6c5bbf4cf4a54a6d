package com.jodoerp.bridge.webhook;

/**
 * A webhook the bridge refuses on purpose: the status and error code go back to Jodo as they are.
 * Nothing about a refused webhook is stored.
 */
public class WebhookRejectedException extends RuntimeException {

    private final int status;
    private final String code;

    public WebhookRejectedException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
