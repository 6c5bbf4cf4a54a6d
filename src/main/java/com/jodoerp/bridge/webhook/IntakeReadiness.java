package com.jodoerp.bridge.webhook;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Whether the intake may take webhooks now. Spring Boot turns readiness to accepting only once the application is
 * ready: Camel's routes started, every target's route built, the intake journal replayed. It turns it to refusing
 * first thing on shutdown, before any route stops. Between those, and only then, the webhook paths answer; outside
 * them they answer 503 with Retry-After, never the 404 of a route not started yet.
 */
@Component
public class IntakeReadiness {

    private volatile boolean accepting;

    @EventListener
    public void onReadiness(AvailabilityChangeEvent<ReadinessState> change) {
        accepting = change.getState() == ReadinessState.ACCEPTING_TRAFFIC;
    }

    public boolean accepting() {
        return accepting;
    }
}
