package com.jodoerp.bridge.delivery;

import org.apache.camel.CamelContext;
import org.springframework.stereotype.Component;

/**
 * The threads that work through a batch taken from a work queue (routes/drain-work-queue.camel.yaml), named in
 * Camel's registry: {@code deliveryWorkers} attempt a batch's deliveries side by side
 * ({@code bridge.delivery.threads}) for the targets without a lane of their own, and each enabled target's lane
 * (DeliveryLanes) has its own ({@link #forLane}); {@code dispatchWorkers} is one thread, so events are
 * routed and mapped in the order they were received. Made by Camel, which also shuts them down; not Spring executor
 * beans, which would displace the one Spring Boot gives platform-http.
 */
@Component
public class QueueWorkers {

    private final CamelContext camelContext;
    private final DeliveryProperties properties;

    public QueueWorkers(CamelContext camelContext, DeliveryProperties properties) {
        this.camelContext = camelContext;
        this.properties = properties;
        bind("deliveryWorkers", "deliver", properties.threads());
        bind("dispatchWorkers", "dispatch", 1);
    }

    /**
     * Makes the threads of {@code target}'s delivery lane, its own number ({@code bridge.targets.<name>.threads}) or
     * {@code bridge.delivery.threads}; returns their reference for the route ({@code #name}).
     */
    String forLane(String target, Integer threads) {
        String name = "deliveryWorkers-" + target;
        bind(name, "deliver-" + target, threads == null ? properties.threads() : threads);
        return "#" + name;
    }

    private void bind(String name, String threadName, int threads) {
        camelContext.getRegistry().bind(name, camelContext.getExecutorServiceManager()
                .newFixedThreadPool(this, threadName, threads));
    }
}
