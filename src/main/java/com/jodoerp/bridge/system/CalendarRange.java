package com.jodoerp.bridge.system;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The days and times the bridge accepts from outside: years 0000 to 9999, the four-digit years of RFC 3339 and of the
 * canonical record's {@code YYYY-MM-DD}. Java parses years up to a billion, which an ERP column, a file name or the
 * bridge's own day arithmetic cannot hold: such a value is refused where it comes in, with its field named.
 */
public final class CalendarRange {

    public static final String YEARS = "a year from 0000 to 9999";
    /** 9999-12-31T23:59:59Z in Unix seconds: the last second a four-digit year can write. */
    public static final long LAST_EPOCH_SECOND = 253_402_300_799L;
    private static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LAST = Instant.ofEpochSecond(LAST_EPOCH_SECOND, 999_999_999);

    private CalendarRange() {
    }

    public static boolean holds(LocalDate day) {
        return day.getYear() >= 0 && day.getYear() <= 9999;
    }

    public static boolean holds(Instant time) {
        return !time.isBefore(FIRST) && !time.isAfter(LAST);
    }
}
