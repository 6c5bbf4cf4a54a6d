package com.jodoerp.bridge.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

import org.junit.jupiter.api.Test;

class QueueBatchesTest {

    @Test
    void takesWhatIsWaitingUpToTheBatchSizeInArrivalOrder() throws InterruptedException {
        LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>(List.of(1, 2, 3, 4, 5));
        List<Integer> batch = new ArrayList<>();

        assertThat(QueueBatches.next(queue, 3, batch)).isTrue();

        assertThat(batch).containsExactly(1, 2, 3);
        assertThat(queue).containsExactly(4, 5);
    }

    @Test
    void saysSoWhenNothingCame() throws InterruptedException {
        List<Integer> batch = new ArrayList<>();

        assertThat(QueueBatches.next(new LinkedBlockingQueue<Integer>(), 3, batch)).isFalse();

        assertThat(batch).isEmpty();
    }
}
