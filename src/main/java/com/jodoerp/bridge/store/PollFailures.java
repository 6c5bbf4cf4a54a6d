package com.jodoerp.bridge.store;

import java.time.Clock;

import com.jodoerp.bridge.observability.StoreHealth;
import com.jodoerp.bridge.system.LogPace;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A poll of background work on a timer that failed as a whole: a work queue's (dispatch, or a target's deliveries;
 * routes/drain-work-queue.camel.yaml) claiming its batch or recording the outcomes, or the resuming of bulk replays,
 * the pruning, the daily reconciliation's check. Nothing is lost (claimed rows come back when their lease runs out)
 * and the next poll tries again, so the failure is reported, not rethrown: once a minute per route, in the database's
 * words while the bridge's database is out of reach, whole with its stack trace when it is anything else. Rethrown,
 * Camel logged it at every poll (five a second per work queue) with its stack trace, twice.
 */
@Component("pollFailures")
public class PollFailures {

    private static final Logger log = LoggerFactory.getLogger(PollFailures.class);

    private final LogPace outages = new LogPace(Clock.systemUTC());
    private final StoreHealth store;

    public PollFailures(StoreHealth store) {
        this.store = store;
    }

    public void failed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String route = exchange.getFromRouteId();
        if (StoreOutages.isOutage(cause)) {
            store.failed(cause);
            if (outages.due(route)) {
                log.warn("{} waits until the bridge's database is back: {}", route, StoreOutages.rootMessage(cause));
            }
        } else if (outages.due(route)) {
            log.error("{} failed a poll; it tries again at the next one", route, cause);
        }
    }
}
