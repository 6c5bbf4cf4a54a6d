package com.jodoerp.bridge.admin;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which webhook paths would take one of the bridge's own pages out of the operator login (StartupRefusalsTest). */
class WebhookPathApartTest {

    @Test
    void aPathOnOverOrUnderTheBridgesOwnPagesIsRefused() {
        for (String path : List.of("/", "/admin", "/admin/jodo", "/ops", "/actuator", "/actuator/health", "/login",
                "/login.js", "/logout", "/error")) {
            assertThatThrownBy(() -> SecurityConfig.ownPathsApart(path)).as(path)
                    .hasMessageStartingWith("bridge.webhook.path: '" + path + "' overlaps the bridge's own pages");
        }
    }

    @Test
    void aPathOfItsOwnIsTaken() {
        for (String path : List.of("/webhooks/jodo", "/hooks", "/adminx", "/jodo/admin", "/operations")) {
            assertThatCode(() -> SecurityConfig.ownPathsApart(path)).as(path).doesNotThrowAnyException();
        }
    }
}
