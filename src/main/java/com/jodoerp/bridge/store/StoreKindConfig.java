package com.jodoerp.bridge.store;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The store's kind as a bean, decided from {@code spring.datasource.url}. */
@Configuration(proxyBeanMethods = false)
public class StoreKindConfig {

    @Bean
    StoreKind storeKind(@Value("${spring.datasource.url}") String url) {
        return StoreKind.of(url);
    }

    /**
     * Opens an embedded store on {@link FailStopH2Files}, whether its URL is the default or an integrator's own
     * {@code jdbc:h2:file:}: what the intake journal's promise rests on should not depend on a prefix in a setting.
     * Only the pool's URL changes; the setting, and every message naming it, stay as written.
     */
    @Bean
    static BeanPostProcessor embeddedStoreFailStop() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource pool && StoreKind.of(pool.getJdbcUrl()) == StoreKind.EMBEDDED_H2) {
                    FailStopH2Files.register();
                    pool.setJdbcUrl(FailStopH2Files.url(pool.getJdbcUrl()));
                }
                return bean;
            }
        };
    }
}
