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
        // HTTP Basic ends the name at its first ':', and the audit trail keeps 128 characters of it: a name beyond
        // either could never sign in, or could not be written beside what it did.
        if (username.length() > 128 || username.chars().anyMatch(c -> c == ':' || Character.isISOControl(c))) {
            throw new IllegalArgumentException("bridge.admin.username (BRIDGE_ADMIN_USER) must be at most 128"
                    + " characters without ':' or control characters, got " + username.length() + " characters");
        }
        if (!username.isEmpty() && password.length() < 8) {
            throw new IllegalArgumentException("bridge.admin.password (BRIDGE_ADMIN_PASSWORD) must be at least 8"
                    + " characters when bridge.admin.username is set");
        }
    }

    public boolean configured() {
        return !username.isEmpty();
    }
}
