package com.jodoerp.bridge.store;

import java.util.List;
import java.util.Locale;

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
     * H2's settings an embedded store's safety rests on, added to a URL that does not set them: an integrator's own,
     * or the one an earlier release's settings file repeated. DB_CLOSE_ON_EXIT=FALSE: H2 would close itself at JVM
     * exit, under the webhooks still being committed; the pool closes it last. MAX_COMPACT_TIME=0: no moving of chunks
     * as the store closes. H2 2.3.232 can leave a moved chunk past the end it then truncates the file to (its own
     * assertion fails there, seen when tests stop a bridge; h2database#4247 reports rows lost between a close and the
     * next open); the running compaction keeps the file tight instead. A URL that sets one keeps its own value.
     */
    private static final List<String> SAFETY = List.of("DB_CLOSE_ON_EXIT=FALSE", "MAX_COMPACT_TIME=0");

    /**
     * Opens an embedded store on {@link FailStopH2Files}, whether its URL is the default or an integrator's own
     * {@code jdbc:h2:file:}, with the {@link #SAFETY} settings: what the intake journal's promise rests on should not
     * depend on a prefix or an option in a setting. Only the pool's URL changes; the setting, and every message naming
     * it, stay as written.
     */
    @Bean
    static BeanPostProcessor embeddedStoreFailStop() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource pool && StoreKind.of(pool.getJdbcUrl()) == StoreKind.EMBEDDED_H2) {
                    FailStopH2Files.register();
                    pool.setJdbcUrl(FailStopH2Files.url(withSafety(pool.getJdbcUrl())));
                }
                return bean;
            }
        };
    }

    private static String withSafety(String url) {
        StringBuilder safe = new StringBuilder(url);
        for (String setting : SAFETY) {
            String name = setting.substring(0, setting.indexOf('=') + 1);
            if (!url.toUpperCase(Locale.ROOT).contains(";" + name)) {
                safe.append(';').append(setting);
            }
        }
        return safe.toString();
    }
}
