package com.jodoerp.bridge.flow;

import java.time.DateTimeException;
import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The school itself ({@code bridge.school.*}).
 *
 * @param timeZone the school's time zone: every date the bridge shows or writes for people (an ERP's posting date,
 *                 a Tally voucher date, a folder named by day) is the day there. Stored and canonical times stay
 *                 UTC.
 */
@ConfigurationProperties("bridge.school")
public record SchoolProperties(String timeZone) {

    public SchoolProperties {
        Settings.required(timeZone, "bridge.school.time-zone");
        zone(timeZone);
    }

    public ZoneId zone() {
        return zone(timeZone);
    }

    private static ZoneId zone(String timeZone) {
        try {
            return ZoneId.of(timeZone.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("bridge.school.time-zone: '" + timeZone + "' is not a time zone such as"
                    + " Asia/Kolkata");
        }
    }
}
