package com.jodoerp.bridge.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
 * Keeps this instance's claims alive while their work runs: every held claim is renewed once a third of its lease
 * has passed. A lease then only runs out when its holder is gone, not when an ERP is slow, so a delivery that takes
 * longer than its lease is never taken over and attempted a second time by another instance.
 */
@Component
public class ClaimLeases {

    private static final Logger log = LoggerFactory.getLogger(ClaimLeases.class);

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

    public ClaimLeases(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.renewals = EverySecond.start("claim-leases", this::renewDue);
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
