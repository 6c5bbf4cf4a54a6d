package com.jodoerp.bridge.observability;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import com.jodoerp.bridge.system.Redaction;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether the intake can store what Jodo sends (disk full, database down, ...), as the intake last found it.
 * A read-only health query can succeed while every write fails; this reports the writes. A failure counts
 * for a minute unless a store succeeds first: a load balancer that takes the instance out on DOWN must
 * also be able to put it back when no webhook has come to prove the store works again.
 */
@Component("store")
public class StoreHealth implements HealthIndicator {

    private record Failure(Instant at, String reason) {
    }

    private static final Duration REMEMBERED = Duration.ofMinutes(1);

    private final AtomicReference<Failure> failing = new AtomicReference<>();

    public void stored() {
        if (failing.get() != null) {
            failing.set(null);
        }
    }

    public void failed(Throwable error) {
        failing.compareAndSet(null, new Failure(Instant.now(), Redaction.summary(error, 300)));
    }

    @Override
    public Health health() {
        Failure failure = failing.get();
        if (failure != null && failure.at().isBefore(Instant.now().minus(REMEMBERED))) {
            failing.compareAndSet(failure, null);
            failure = null;
        }
        return failure == null ? Health.up().build()
                : Health.down().withDetail("failingSince", failure.at().toString())
                        .withDetail("reason", failure.reason()).build();
    }
}
