package com.jodoerp.bridge.deadletters;

import java.time.Instant;

/**
 * What an operator narrows a list or a bulk replay to; every part is optional.
 *
 * @param family  masterdata, direct, flex, pay or cred
 * @param event   an event name, e.g. flex.instalment.debited
 * @param target  a target name (dead deliveries only)
 * @param status  a dispatch state (events) or delivery state
 * @param from    received at or after
 * @param to      received before
 * @param student Jodo's student id
 */
public record DeadLetterFilter(String family, String event, String target, String status, Instant from, Instant to,
                               String student) {
}
