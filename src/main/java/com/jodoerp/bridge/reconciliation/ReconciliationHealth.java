package com.jodoerp.bridge.reconciliation;

import java.time.LocalDate;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The latest day reconciled, its open differences per target and the targets whose ERP could not be read: UP always,
 * the numbers are for alerting.
 */
@Component("reconciliation")
class ReconciliationHealth implements HealthIndicator {

    private final Reconciliation reconciliation;

    ReconciliationHealth(Reconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        // Named once a day has been reconciled since the start (a minute after it, README "Reconcile"): a monitoring
        // system reading a day finds a day, never the text "null".
        LocalDate lastDay = reconciliation.lastDay();
        if (lastDay != null) {
            health.withDetail("lastDay", lastDay.toString());
        }
        return health.withDetail("openDifferences", reconciliation.openDifferences())
                .withDetail("erpUnreadable", reconciliation.unreadable())
                .build();
    }
}
