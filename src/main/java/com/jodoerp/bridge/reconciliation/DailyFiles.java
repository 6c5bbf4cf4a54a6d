package com.jodoerp.bridge.reconciliation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which days' reconciliation files ({@code reconciliation-<day>.csv}) are due. An accountant reads the folder as one
 * file per day: a day whose time came while the bridge was stopped (over a weekend, or only across one morning's
 * hour) is written when it runs again, after the latest file already in the folder, up to {@link #CATCH_UP_DAYS}
 * back; a file that says an ERP could not be read is written again once it can be, for {@link #REREAD_DAYS}. Any
 * day's report stays at /admin/reconciliation.
 */
final class DailyFiles {

    /** How many missed days are written at most: a month, beyond which the API serves them. */
    static final int CATCH_UP_DAYS = 31;
    /**
     * How long a file written while an ERP could not be read is tried again (each check reads that ERP once more): a
     * week; an ERP unreadable for longer is an incident its alert has been saying, and the API serves the day.
     */
    static final int REREAD_DAYS = 7;
    private static final Pattern NAME = Pattern.compile("reconciliation-(\\d{4}-\\d{2}-\\d{2})\\.csv");

    private DailyFiles() {
    }

    static String name(LocalDate day) {
        return "reconciliation-" + day + ".csv";
    }

    /**
     * The latest day whose file is due at {@code now} (the school's time): yesterday once the day's {@code time} has
     * come, until then the day before.
     */
    static LocalDate latestDue(LocalDateTime now, LocalTime time) {
        return now.toLocalDate().minusDays(now.toLocalTime().isBefore(time) ? 2 : 1);
    }

    /**
     * The days to write, oldest first: those after {@code latestWritten} up to {@code latestDue}, at most the last
     * {@link #CATCH_UP_DAYS}; with no file written yet, the latest due day alone (a new folder is not filled with the
     * days before the bridge ran).
     */
    static List<LocalDate> missing(LocalDate latestDue, Optional<LocalDate> latestWritten) {
        if (latestWritten.isPresent() && !latestWritten.get().isBefore(latestDue)) {
            return List.of();
        }
        LocalDate first = latestWritten.map(day -> day.plusDays(1)).orElse(latestDue);
        LocalDate earliest = latestDue.minusDays(CATCH_UP_DAYS - 1L);
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate day = first.isBefore(earliest) ? earliest : first; !day.isAfter(latestDue);
                day = day.plusDays(1)) {
            days.add(day);
        }
        return days;
    }

    /** Whether the day's file in the folder says {@code text} (false when there is no such file). */
    static boolean says(Path folder, LocalDate day, String text) throws IOException {
        Path file = folder.resolve(name(day));
        return Files.exists(file) && Files.readString(file).contains(text);
    }

    /**
     * The latest day with a file in the folder; other files (and names that are no date) are not the bridge's. A
     * folder removed meanwhile holds none (writing the next file makes it again).
     */
    static Optional<LocalDate> latestWritten(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> NAME.matcher(file.getFileName().toString())).filter(Matcher::matches)
                    .map(DailyFiles::day).flatMap(Optional::stream).max(LocalDate::compareTo);
        }
    }

    private static Optional<LocalDate> day(Matcher name) {
        try {
            return Optional.of(LocalDate.parse(name.group(1)));
        } catch (DateTimeParseException notADay) {
            return Optional.empty();
        }
    }
}
