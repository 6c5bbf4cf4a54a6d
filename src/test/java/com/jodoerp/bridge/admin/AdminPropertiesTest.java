package com.jodoerp.bridge.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;

/** An operator login that could never sign in (or be audited) stops start-up naming the setting. */
class AdminPropertiesTest {

    /** Made up per run: long enough, and never a value written down. */
    private static final String PASSWORD = UUID.randomUUID().toString();

    @Test
    void aUsernameBasicAuthCannotCarryOrTheAuditCannotKeepIsRefused() {
        for (String username : new String[] {"ops:team", "op\u0007s", "o".repeat(129)}) {
            assertThatThrownBy(() -> new AdminProperties(username, PASSWORD))
                    .as(username).hasMessageStartingWith("bridge.admin.username (BRIDGE_ADMIN_USER) must be at most 128")
                    .hasMessageNotContaining(PASSWORD);
        }
        assertThat(new AdminProperties("  " + "o".repeat(128) + " ", PASSWORD).username())
                .hasSize(128);
        assertThat(new AdminProperties("ops.team-2@school", PASSWORD).configured()).isTrue();
        assertThat(new AdminProperties(null, null).configured()).isFalse();
    }

    @Test
    void aShortPasswordIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> new AdminProperties("ops", "short"))
                .hasMessageContaining("bridge.admin.password (BRIDGE_ADMIN_PASSWORD) must be at least 8")
                .hasMessageNotContaining("short\"").hasMessageNotContaining(": short");
    }
}
