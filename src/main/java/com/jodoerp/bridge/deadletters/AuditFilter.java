package com.jodoerp.bridge.deadletters;

import java.time.Instant;
import java.util.Set;

/**
 * What an operator or an auditor narrows the audit to ("who discarded this event, and why?"); every part is optional.
 *
 * @param action  one of {@link #ACTIONS}
 * @param actor   the operator's user name as signed in (or as typed, for a failed login)
 * @param subject text the entry's subject holds: an event id, a target's name, a bulk replay's job id, an address
 * @param from    done at or after
 * @param to      done before
 */
public record AuditFilter(String action, String actor, String subject, Instant from, Instant to) {

    /** What the bridge audits, as OperatorActions, ReplayJobs and the operator login write it. */
    public static final String REPLAY = "REPLAY";
    public static final String DISCARD = "DISCARD";
    public static final String BULK_REPLAY = "BULK_REPLAY";
    public static final String BULK_REPLAY_CANCEL = "BULK_REPLAY_CANCEL";
    public static final String LOGIN_FAILED = "LOGIN_FAILED";
    /** Every action above: what the audit can be filtered by, and what the ops page's Action list offers. */
    public static final Set<String> ACTIONS = Set.of(REPLAY, DISCARD, BULK_REPLAY, BULK_REPLAY_CANCEL, LOGIN_FAILED);
}
