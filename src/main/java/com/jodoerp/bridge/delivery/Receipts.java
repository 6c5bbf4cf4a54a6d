package com.jodoerp.bridge.delivery;

import java.time.ZoneId;
import java.util.Map;

import com.jodoerp.bridge.flow.SchoolProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** Reads payment records as the school's books take them: on the school's day, and as the payment stands now. */
@Component
public final class Receipts {

    private final ZoneId zone;
    private final PaymentStandings standings;

    @Autowired
    public Receipts(SchoolProperties school, PaymentStandings standings) {
        this(school.zone(), standings);
    }

    public Receipts(ZoneId zone, PaymentStandings standings) {
        this.zone = zone;
        this.standings = standings;
    }

    /** The school's time zone. */
    public ZoneId zone() {
        return zone;
    }

    public Receipt of(Map<?, ?> record) {
        return Receipt.of(record, zone, standings);
    }
}
