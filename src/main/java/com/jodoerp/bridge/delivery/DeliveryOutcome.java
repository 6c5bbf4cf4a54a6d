package com.jodoerp.bridge.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * How one attempt went.
 *
 * @param attempts   this attempt's number, all told
 * @param budgetAttempts this attempt's number since the retry budget started
 * @param family     the event's family, for the metrics
 * @param receivedAt when the bridge accepted the event, for the delivery lag
 * @param error     null when delivered; otherwise a masked one-line summary
 * @param permanent  the target refused it for good: no retry
 * @param retryAfter how long the target asked us to wait, or null
 * @param detail     what the attempt showed an operator: HTTP status, kind of error, duration
 * @param answeredLater the attempt is still out, apart from its batch (CallsApart): the batch writes nothing for it,
 *                   its own outcome is written when the target answers
 * @param bookedPayment the payment whose money this attempt booked at its target (Flow.BOOKED_PAYMENT: ERPNext,
 *                   Tally), or null
 */
public record DeliveryOutcome(String eventId, String target, String family, Instant receivedAt, int attempts,
                              int budgetAttempts, Instant retrySince, String error, boolean permanent,
                              Duration retryAfter, AttemptDetail detail, boolean answeredLater, String bookedPayment) {

    /**
     * @param httpStatus the target's last HTTP answer in this attempt, or null when it gave none
     * @param errorClass the kind of error (the root cause's class), or null when delivered
     * @param took       from opening the delivery to its outcome
     */
    public record AttemptDetail(Integer httpStatus, String errorClass, Duration took) {
    }

    public boolean delivered() {
        return error == null;
    }

    /** The same attempt, failed with {@code reason} instead. */
    public DeliveryOutcome withError(String reason, boolean permanentNow) {
        return new DeliveryOutcome(eventId, target, family, receivedAt, attempts, budgetAttempts, retrySince, reason,
                permanentNow, retryAfter, detail, answeredLater, bookedPayment);
    }
}
