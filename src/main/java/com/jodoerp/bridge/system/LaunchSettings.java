package com.jodoerp.bridge.system;

import java.lang.management.ManagementFactory;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Says once, at start, which JVM limits the bridge runs with: an operator sizing a host or a container sees whether
 * the shipped launch settings (config/jvm.options) were applied. Only the JVM's own -X options are named: a -D
 * system property may carry a secret.
 */
@Component
public class LaunchSettings {

    private static final Logger log = LoggerFactory.getLogger(LaunchSettings.class);

    @EventListener(ApplicationStartedEvent.class)
    public void report() {
        String options = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("-X"))
                .collect(Collectors.joining(" "));
        log.info("JVM: heap limit {} MB, {} processors, options: {}", Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors(), options.isEmpty() ? "(none)" : options);
    }
}
