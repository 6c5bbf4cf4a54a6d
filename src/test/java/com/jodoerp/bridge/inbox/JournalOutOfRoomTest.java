package com.jodoerp.bridge.inbox;

import static com.jodoerp.bridge.support.Answers.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.jodoerp.bridge.store.DelegatingFileChannel;
import com.jodoerp.bridge.store.StoreKind;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The disk under the embedded store's intake journal fills (the journal's writes fail as on a full disk, while the
 * store itself still commits): webhooks are answered 503 store_unavailable, the outage is told once as the store's,
 * not as a bug with a stack trace per webhook, and with room again Jodo's retries are answered and each event is
 * stored and delivered once.
 */
@ExtendWith(OutputCaptureExtension.class)
class JournalOutOfRoomTest {

    @TempDir
    Path dataDir;

    /** The intake journal, on a disk that fills while {@link #FULL} is set. */
    @Configuration(proxyBeanMethods = false)
    static class FillingDisk {

        static final AtomicBoolean FULL = new AtomicBoolean();

        @Bean
        @Primary
        IntakeJournal journalOnAFillingDisk(StoreKind store, JdbcTemplate jdbc, ApplicationEventPublisher events,
                                            @Value("${bridge.data-path}") Path dataPath) throws IOException {
            return new IntakeJournal(store, jdbc, events, dataPath) {
                @Override
                FileChannel openFile(Path file) throws IOException {
                    return new DelegatingFileChannel(super.openFile(file)) {
                        @Override
                        public int write(ByteBuffer source, long position) throws IOException {
                            if (FULL.get()) {
                                throw new IOException("No space left on device");
                            }
                            return super.write(source, position);
                        }
                    };
                }
            };
        }
    }

    @Test
    void aJournalThatCannotBeWrittenIsAStoreOutageAndTheRetriesAreStoredOnce(CapturedOutput output) {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir.resolve("data"), Map.of(), FillingDisk.class)) {
            String before = Samples.freshId();
            assertThat(bridge.postWebhook(Samples.withEventId("flex.instalment.debited", before), null).statusCode())
                    .isEqualTo(202);

            FillingDisk.FULL.set(true);
            String first = Samples.freshId();
            String second = Samples.freshId();
            try {
                for (String id : new String[] {first, second}) {
                    HttpResponse<String> refused = bridge.postWebhook(
                            Samples.withEventId("flex.instalment.debited", id), null);
                    assertRefused(refused, 503, "store_unavailable");
                    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                    assertThat(Samples.tree(refused.body()).path("message").asText())
                            .isEqualTo("the bridge cannot store events right now; retry later (if this one was kept"
                                    + " all the same, the retry is answered as a duplicate)");
                }
                assertThat(output.getOut()).containsOnlyOnce("Cannot store webhooks, answering 503 until the database"
                        + " is back: IOException: No space left on device").doesNotContain("could not be stored");
            } finally {
                FillingDisk.FULL.set(false);
            }

            // Room again: Jodo's retries are answered, stored or recognised, and each event goes out once.
            for (String id : new String[] {first, second}) {
                assertThat(bridge.postWebhook(Samples.withEventId("flex.instalment.debited", id), null).statusCode())
                        .as(id).isIn(200, 202);
                assertThat(bridge.inboxRows(id)).as(id).isEqualTo(1);
            }
            for (String id : new String[] {before, first, second}) {
                await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(bridge.deliveryState(id,
                        "outbox")));
            }
        }
    }
}
