package com.jodoerp.bridge.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import com.jodoerp.bridge.system.EverySecond;
import com.jodoerp.bridge.system.Redaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * This instance's claims: their tokens, and keeping them alive while their work runs. Every held claim is renewed
 * once a third of its lease has passed. A lease then only runs out when its holder is gone, not when an ERP is slow,
 * so a delivery that takes longer than its lease is never taken over and attempted a second time by another
 * instance. Every token begins with this instance's holder tag (8 hex digits), so that the claims of an instance
 * known to be gone can be released without waiting out their leases (ClaimsOfGoneInstances).
 */
@Component
public class ClaimLeases {

    private static final Logger log = LoggerFactory.getLogger(ClaimLeases.class);
    /** The length of a holder tag, the first part of a UUID: {@code 8c1f2e0a}. */
    private static final int HOLDER_LENGTH = 8;

    /** A claim being held: how to renew it, and until when it is held now. */
    private static final class Held {
        private final String renewal;
        private final MapSqlParameterSource params;
        private final Duration lease;
        private volatile Instant renewedAt;

        Held(String renewal, MapSqlParameterSource params, Duration lease, Instant now) {
            this.renewal = renewal;
            this.params = params;
            this.lease = lease;
            this.renewedAt = now;
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final Map<Object, Held> held = new ConcurrentHashMap<>();
    private final EverySecond renewals;
    private volatile String holder = newHolder();

    public ClaimLeases(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.renewals = EverySecond.start("claim-leases", this::renewDue);
    }

    /** A token for a new claim of this instance: a UUID whose first 8 hex digits are its holder tag. */
    public String newToken() {
        return holder + UUID.randomUUID().toString().substring(HOLDER_LENGTH);
    }

    /** The tag this instance's claim tokens begin with. */
    public String holder() {
        return holder;
    }

    /** Takes another tag, before any claim is made: the one drawn is another live instance's. */
    String redrawHolder() {
        holder = newHolder();
        return holder;
    }

    private static String newHolder() {
        return UUID.randomUUID().toString().substring(0, HOLDER_LENGTH);
    }

    /**
     * Renews a claim until {@link #release} with the same key: {@code renewal} is an UPDATE that sets the claim's
     * expiry to {@code :until} (now plus {@code lease}) where the claim is still this holder's ({@code params}).
     */
    public void hold(Object key, String renewal, MapSqlParameterSource params, Duration lease) {
        held.put(key, new Held(renewal, params, lease, Instant.now(clock)));
    }

    public void release(Object key) {
        held.remove(key);
    }

    void renewDue() {
        Instant now = Instant.now(clock);
        held.forEach((key, claim) -> {
            if (Duration.between(claim.renewedAt, now).compareTo(claim.lease.dividedBy(3)) < 0) {
                return;
            }
            try {
                MapSqlParameterSource params = new MapSqlParameterSource(claim.params.getValues())
                        .addValue("until", Claims.utc(now.plus(claim.lease)));
                jdbc.update(claim.renewal, params);
                claim.renewedAt = now;
            } catch (RuntimeException e) {
                // Tried again on the next tick; the lease still has two thirds to run.
                log.warn("Could not renew claim {}: {}", key, Redaction.summary(e, 300));
            }
        });
    }

    @PreDestroy
    void stop() {
        renewals.stop();
    }
}
