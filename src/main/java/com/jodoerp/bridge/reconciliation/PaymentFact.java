package com.jodoerp.bridge.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * What one record says about one payment, for the bridge's ledger of payments (reconciliation).
 *
 * @param paidAt when the money came in, as the record says (null when it does not: a bounce, an expiry)
 * @param paidDay the day the money came in (paid_at, else the event's time) in the school's time zone
 */
public record PaymentFact(String paymentId, String eventId, String event, String family, String status,
                          int precedence, BigDecimal amount, Instant occurredAt, Instant paidAt, LocalDate paidDay) {
}
