package com.jodoerp.bridge.delivery;

import org.apache.camel.CamelContext;
import org.springframework.stereotype.Component;

/**
 * The threads that work through a batch taken from a work queue (routes/drain-work-queue.camel.yaml), named in
 * Camel's registry: {@code deliveryWorkers} attempt a batch's deliveries side by side
 * ({@code bridge.delivery.threads}) for the targets without a lane of their own (DeliveryLanes gives each enabled
 * target its own threads); {@code dispatchWorkers} is one
 * thread, so events are routed and mapped in the order they were received. Made by Camel, which also shuts them
 * down; not Spring executor beans, which would displace the one Spring Boot gives platform-http.
 */
@Component
public class QueueWorkers {

    public QueueWorkers(CamelContext camelContext, DeliveryProperties properties) {
        camelContext.getRegistry().bind("deliveryWorkers", camelContext.getExecutorServiceManager()
                .newFixedThreadPool(this, "deliver", properties.threads()));
        camelContext.getRegistry().bind("dispatchWorkers", camelContext.getExecutorServiceManager()
                .newFixedThreadPool(this, "dispatch", 1));
    }
}
