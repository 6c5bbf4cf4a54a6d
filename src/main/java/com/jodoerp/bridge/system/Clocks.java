package com.jodoerp.bridge.system;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The bridge keeps its times in UTC; one clock bean lets tests move time where they need to. */
@Configuration(proxyBeanMethods = false)
public class Clocks {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
