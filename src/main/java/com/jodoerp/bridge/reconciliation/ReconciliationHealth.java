package com.jodoerp.bridge.reconciliation;

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
        return Health.up()
                .withDetail("lastDay", String.valueOf(reconciliation.lastDay()))
                .withDetail("openDifferences", reconciliation.openDifferences())
                .withDetail("erpUnreadable", reconciliation.unreadable())
                .build();
    }
}
