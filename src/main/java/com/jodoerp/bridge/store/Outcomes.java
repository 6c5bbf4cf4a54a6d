package com.jodoerp.bridge.store;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import com.jodoerp.bridge.system.Redaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writing the outcomes of a claimed batch so that one cannot keep the others unrecorded: all in one transaction
 * (the fast way), and if that fails, each in a transaction of its own; an outcome that cannot be written even
 * alone is handed to {@code whenAloneFails}, which records the failure itself as that row's outcome.
 */
public final class Outcomes {

    private static final Logger log = LoggerFactory.getLogger(Outcomes.class);

    private Outcomes() {
    }

    public static <T> void write(TransactionTemplate transaction, List<T> outcomes, Consumer<List<T>> writer,
                                 BiConsumer<T, RuntimeException> whenAloneFails) {
        try {
            transaction.executeWithoutResult(status -> writer.accept(outcomes));
            return;
        } catch (RuntimeException together) {
            log.warn("Recording {} outcomes together failed, recording them one at a time: {}", outcomes.size(),
                    Redaction.summary(together, 500));
        }
        for (T outcome : outcomes) {
            try {
                transaction.executeWithoutResult(status -> writer.accept(List.of(outcome)));
            } catch (RuntimeException alone) {
                try {
                    whenAloneFails.accept(outcome, alone);
                } catch (RuntimeException storeDown) {
                    // Nothing more can be written now: the claim's lease brings the row back when it runs out.
                    log.error("Could not record an outcome, nor why: {}", Redaction.summary(storeDown, 500));
                }
            }
        }
    }
}
