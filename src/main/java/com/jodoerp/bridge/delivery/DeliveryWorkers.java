package com.jodoerp.bridge.delivery;

import org.apache.camel.CamelContext;
import org.springframework.stereotype.Component;

/**
 * The threads that attempt a batch's deliveries side by side ({@code bridge.delivery.threads}), named
 * {@code deliveryWorkers} in Camel's registry. Made by Camel, which also shuts them down; not a Spring
 * executor bean, which would displace the one Spring Boot gives platform-http.
 */
@Component
public class DeliveryWorkers {

    public DeliveryWorkers(CamelContext camelContext, DeliveryProperties properties) {
        camelContext.getRegistry().bind("deliveryWorkers", camelContext.getExecutorServiceManager()
                .newFixedThreadPool(this, "deliver", properties.threads()));
    }
}
