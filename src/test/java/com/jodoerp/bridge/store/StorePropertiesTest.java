package com.jodoerp.bridge.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** A compaction budget the store cannot use stops start-up naming the setting. */
class StorePropertiesTest {

    @Test
    void aNegativeTooLargeOrMissingBudgetIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new StoreProperties(DataSize.ofBytes(-1)))
                .hasMessageContaining("bridge.store.compaction-per-second").hasMessageContaining("-1B");
        assertThatThrownBy(() -> new StoreProperties(DataSize.ofGigabytes(3)))
                .hasMessageContaining("bridge.store.compaction-per-second");
        assertThatThrownBy(() -> new StoreProperties(null))
                .hasMessageContaining("bridge.store.compaction-per-second");
    }
}
