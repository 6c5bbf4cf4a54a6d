package com.jodoerp.bridge.support;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every test class waits with Awaitility checking every 10 ms from the start, instead of its default first look after
 * 100 ms and every 100 ms after: tests wait for hundreds of deliveries one after another, and the default made each
 * wait last at least 100 ms whatever the bridge did. Registered for all classes (junit-platform.properties and
 * META-INF/services); a wait that needs another pace still sets its own.
 */
public final class QuickAwaits implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
        Awaitility.setDefaultPollDelay(Duration.ZERO);
    }
}
