package com.jodoerp.bridge.store;

import com.jodoerp.bridge.observability.StoreHealth;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A poll of a work queue (dispatch, or a target's deliveries; routes/drain-work-queue.camel.yaml) that failed as a
 * whole: claiming its batch or recording the outcomes. Nothing is lost (claimed rows come back when their lease runs
 * out) and the next poll tries again, so the failure is reported, not rethrown: once a minute per route, as the
 * database's words while the bridge's database is out of reach, whole with its stack trace when it is anything else.
 * Rethrown, Camel logged it at every poll (five a second per route) with its stack trace, twice.
 */
@Component("workQueueFailures")
public class WorkQueueFailures {

    private static final Logger log = LoggerFactory.getLogger(WorkQueueFailures.class);

    private final StoreOutages outages = new StoreOutages();
    private final StoreHealth store;

    public WorkQueueFailures(StoreHealth store) {
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
