package com.jodoerp.bridge.system;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * A lifecycle bean that is stopped when Spring destroys it still running. A start refused after the lifecycle
 * beans began (a route in the routes folder that cannot be built) destroys the beans without stopping them, and
 * what such a bean started (threads, files) would otherwise outlive the refused start.
 */
public interface StopsWhenDestroyed extends SmartLifecycle, DisposableBean {

    @Override
    default void destroy() {
        if (isRunning()) {
            stop();
        }
    }
}
