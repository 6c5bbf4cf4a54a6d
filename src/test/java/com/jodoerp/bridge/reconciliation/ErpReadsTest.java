package com.jodoerp.bridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicInteger;

import com.jodoerp.bridge.support.MovableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The background reads of an ERP's days keep what operators ask about, and forget what they no longer do. */
class ErpReadsTest {

    private static final LocalDate TERM_START = LocalDate.parse("2026-06-01");

    private final MovableClock clock = new MovableClock();
    private final ErpReads reads = new ErpReads(clock);
    private final AtomicInteger erpReads = new AtomicInteger();

    @AfterEach
    void stop() {
        reads.stop();
    }

    @Test
    void aDayAskedAboutAgainIsAnsweredFromItsLatestRead() {
        readAtLeastOnce(TERM_START);
        int before = erpReads.get();
        assertThat(reads.latest("erp", TERM_START, this::erpHoldings)).isNotNull();
        assertThat(erpReads.get()).as("no new read within " + ErpReads.FRESH).isEqualTo(before);
    }

    @Test
    void aDayNoOneAsksAboutForAnHourIsForgotten() {
        readAtLeastOnce(TERM_START);
        clock.advance(ErpReads.KEPT.plusMinutes(1));
        readAtLeastOnce(TERM_START.plusDays(1));
        assertThat(reads.latest("erp", TERM_START, this::erpHoldings)).as("read again, from the start").isNull();
    }

    @Test
    void onlyTheLatestDaysAskedAboutAreKept() {
        for (int day = 0; day <= ErpReads.MOST; day++) {
            readAtLeastOnce(TERM_START.plusDays(day));
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(reads.latest("erp", TERM_START.plusDays(ErpReads.MOST), this::erpHoldings)).isNotNull();
        assertThat(reads.latest("erp", TERM_START.plusDays(1), this::erpHoldings)).isNotNull();
        assertThat(reads.latest("erp", TERM_START, this::erpHoldings)).as("the oldest, forgotten").isNull();
    }

    private String erpHoldings() {
        erpReads.incrementAndGet();
        return "holdings";
    }

    private void readAtLeastOnce(LocalDate day) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> reads.latest("erp", day, this::erpHoldings) != null);
    }
}
