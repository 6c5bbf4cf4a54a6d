package com.jodoerp.bridge.admin;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operator's login for /admin and /ops ({@code bridge.admin.*}, from BRIDGE_ADMIN_USER and
 * BRIDGE_ADMIN_PASSWORD). With none set, admin refuses everything and says why.
 */
@ConfigurationProperties("bridge.admin")
public record AdminProperties(String username, String password) {

    public AdminProperties {
        username = username == null ? "" : username.trim();
        password = password == null ? "" : password;
        if (!username.isEmpty() && password.length() < 8) {
            throw new IllegalArgumentException("bridge.admin.password (BRIDGE_ADMIN_PASSWORD) must be at least 8"
                    + " characters when bridge.admin.username is set");
        }
    }

    public boolean configured() {
        return !username.isEmpty();
    }
}
