package com.jodoerp.bridge.store;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The store's kind as a bean, decided from {@code spring.datasource.url}. */
@Configuration(proxyBeanMethods = false)
public class StoreKindConfig {

    @Bean
    StoreKind storeKind(@Value("${spring.datasource.url}") String url) {
        return StoreKind.of(url);
    }
}
