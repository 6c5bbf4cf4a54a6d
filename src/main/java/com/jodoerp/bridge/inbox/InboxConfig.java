package com.jodoerp.bridge.inbox;

import javax.sql.DataSource;

import com.jodoerp.bridge.store.StoreKind;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** The idempotent repository the intake route names ({@code jodoEventIds}); its table comes from Flyway. */
@Configuration(proxyBeanMethods = false)
public class InboxConfig {

    /** One processor name for every instance: deduplication must hold across all of them. */
    static final String PROCESSOR_NAME = "jodo-webhook";

    @Bean
    EventIdRepository jodoEventIds(DataSource dataSource, PlatformTransactionManager transactions, StoreKind store) {
        return new EventIdRepository(dataSource, transactions, PROCESSOR_NAME, store);
    }
}
