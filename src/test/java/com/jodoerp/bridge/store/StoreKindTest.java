package com.jodoerp.bridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which store the bridge is on, decided once from its URL. */
class StoreKindTest {

    @Test
    void theUrlDecides() {
        assertThat(StoreKind.of("jdbc:h2:file:/var/lib/bridge/bridge;COMPRESS=TRUE")).isEqualTo(StoreKind.EMBEDDED_H2);
        assertThat(StoreKind.of("jdbc:h2:./data/bridge")).isEqualTo(StoreKind.EMBEDDED_H2);
        assertThat(StoreKind.of("jdbc:h2:mem:test")).isEqualTo(StoreKind.MEMORY_H2);
        assertThat(StoreKind.of("jdbc:h2:tcp://db:9092/bridge")).isEqualTo(StoreKind.SHARED_H2);
        assertThat(StoreKind.of("jdbc:h2:file:./b;AUTO_SERVER=TRUE")).isEqualTo(StoreKind.SHARED_H2);
        assertThat(StoreKind.of("jdbc:postgresql://db:5432/bridge")).isEqualTo(StoreKind.POSTGRESQL);
        assertThat(StoreKind.of("jdbc:mariadb://db/bridge")).isEqualTo(StoreKind.OTHER);
        assertThat(StoreKind.EMBEDDED_H2.singleProcess()).isTrue();
        assertThat(StoreKind.SHARED_H2.singleProcess()).isFalse();
        assertThat(StoreKind.SHARED_H2.h2()).isTrue();
    }
}
