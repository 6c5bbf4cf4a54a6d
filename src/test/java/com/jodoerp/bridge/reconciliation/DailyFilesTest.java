package com.jodoerp.bridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.jodoerp.bridge.support.BridgeInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which days' reconciliation files are due, and a bridge writing the ones it missed while it was stopped. */
class DailyFilesTest {

    private static final LocalTime SIX = LocalTime.of(6, 0);
    private static final LocalDate MONDAY = LocalDate.of(2026, 12, 7);

    @TempDir
    Path dataDir;

    @Test
    void yesterdayIsDueOnceTheDaysTimeHasComeAndTheDayBeforeUntilThen() {
        assertThat(DailyFiles.latestDue(MONDAY.atTime(6, 0), SIX)).isEqualTo(MONDAY.minusDays(1));
        assertThat(DailyFiles.latestDue(MONDAY.atTime(23, 59), SIX)).isEqualTo(MONDAY.minusDays(1));
        assertThat(DailyFiles.latestDue(MONDAY.atTime(5, 59, 59), SIX)).isEqualTo(MONDAY.minusDays(2));
        assertThat(DailyFiles.latestDue(LocalDateTime.of(MONDAY, LocalTime.MIDNIGHT), LocalTime.MIDNIGHT))
                .isEqualTo(MONDAY.minusDays(1));
    }

    @Test
    void theDaysAfterTheLatestFileAreDueOldestFirstAndAMonthAtMost() {
        LocalDate sunday = MONDAY.minusDays(1);
        // Stopped over the weekend: Friday's file was the last.
        assertThat(DailyFiles.missing(sunday, Optional.of(sunday.minusDays(2))))
                .containsExactly(sunday.minusDays(1), sunday);
        // Started again before the morning's time, having been stopped at yesterday's: the day before is overdue.
        assertThat(DailyFiles.missing(sunday.minusDays(1), Optional.of(sunday.minusDays(2))))
                .containsExactly(sunday.minusDays(1));
        assertThat(DailyFiles.missing(sunday, Optional.of(sunday))).isEmpty();
        assertThat(DailyFiles.missing(sunday, Optional.of(MONDAY))).isEmpty();
        // A new folder gets the latest day only, not the days before the bridge ran.
        assertThat(DailyFiles.missing(sunday, Optional.empty())).containsExactly(sunday);
        assertThat(DailyFiles.missing(sunday, Optional.of(sunday.minusYears(1))))
                .hasSize(DailyFiles.CATCH_UP_DAYS).startsWith(sunday.minusDays(DailyFiles.CATCH_UP_DAYS - 1L))
                .endsWith(sunday);
    }

    @Test
    void theLatestFileIsTheLatestDayNamedSoOtherFilesAside() throws Exception {
        assertThat(DailyFiles.latestWritten(dataDir.resolve("removed"))).isEmpty();
        Path folder = Files.createDirectories(dataDir.resolve("reconciliation"));
        assertThat(DailyFiles.latestWritten(folder)).isEmpty();
        Files.writeString(folder.resolve("reconciliation-2026-12-03.csv"), "");
        Files.writeString(folder.resolve("reconciliation-2026-11-30.csv"), "");
        Files.writeString(folder.resolve("reconciliation-2026-12-31.csv.bak"), "");
        Files.writeString(folder.resolve("reconciliation-2026-13-01.csv"), "");
        Files.writeString(folder.resolve("notes.txt"), "");
        assertThat(DailyFiles.latestWritten(folder)).contains(LocalDate.of(2026, 12, 3));
    }

    @Test
    void aBridgeStoppedForDaysWritesTheFilesOfTheDaysItMissed() throws Exception {
        Path folder = Files.createDirectories(dataDir.resolve("reconciliation"));
        LocalDate yesterday = LocalDate.now(ZoneId.of("Asia/Kolkata")).minusDays(1);
        // The file of four days ago is the last one written before the bridge was stopped. The days before it are
        // not written again (an accountant may have deleted one of them on purpose).
        Path lastWritten = folder.resolve(DailyFiles.name(yesterday.minusDays(3)));
        Files.writeString(lastWritten, "as written then\r\n");
        Map<String, String> settings = new HashMap<>();
        settings.put("bridge.reconciliation.folder", folder.toString());
        settings.put("bridge.reconciliation.time", "00:00");
        settings.put("bridge.reconciliation.check-interval", "200ms");

        try (BridgeInstance bridge = BridgeInstance.start(dataDir.resolve("data"), settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(folder.resolve(DailyFiles.name(yesterday))));
            for (LocalDate day : new LocalDate[] {yesterday.minusDays(2), yesterday.minusDays(1), yesterday}) {
                List<String> lines = Files.readAllLines(folder.resolve(DailyFiles.name(day)));
                assertThat(lines.get(0)).startsWith("date,target,section");
                assertThat(lines.subList(1, lines.size())).isNotEmpty().allMatch(line -> line.startsWith(day + ","));
            }
            assertThat(Files.readString(lastWritten)).isEqualTo("as written then\r\n");
            assertThat(folder.resolve(DailyFiles.name(yesterday.minusDays(4)))).doesNotExist();
        }
    }
}
