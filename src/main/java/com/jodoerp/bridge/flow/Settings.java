package com.jodoerp.bridge.flow;

/**
 * Settings have one set of defaults, in the bridge's own application.yaml (src/main/resources); the settings
 * records only check what they are given. A value that is missing all the same (set empty in config/, say) stops
 * start-up naming it.
 */
public final class Settings {

    private Settings() {
    }

    public static <T> T required(T value, String setting) {
        if (value == null) {
            throw new IllegalArgumentException(setting + " is missing; leave it out of config/application.yaml to"
                    + " keep the default");
        }
        return value;
    }
}
