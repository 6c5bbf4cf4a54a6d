package com.jodoerp.bridge.inbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.jodoerp.bridge.flow.Flow;
import com.jodoerp.bridge.observability.BridgeMetrics;
import com.jodoerp.bridge.system.EverySecond;
import com.jodoerp.bridge.system.QueueBatches;
import com.jodoerp.bridge.system.StopsWhenDestroyed;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * Group commit for the intake: every webhook is still answered only after its own event id and inbox row
 * are committed, but the webhooks arriving together share one transaction ({@code direct:store-jodo-events}).
 *
 * <p>One commit per webhook made the store's write the limit: each H2 commit writes a new chunk of the file
 * (tens of KB), each PostgreSQL commit waits for its WAL flush. A writer here takes whatever has queued up
 * while the previous commit ran, so batches grow with load and a lone webhook still goes straight through.
 * A batch that fails is retried one webhook at a time, so one bad event cannot fail its neighbours.
 */
@Component("groupCommit")
public class GroupCommit implements StopsWhenDestroyed {

    /** Split-item property: the webhook a batch step is working on. */
    private static final String STORE_ROUTE = "direct:store-jodo-events";
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    /**
     * The most bytes of bodies one transaction of the journal's replay stores: when received, a batch's bytes were
     * bounded by the intake's body budget; a journal read back is not.
     */
    private static final long REPLAY_BATCH_BYTES = 8L * 1024 * 1024;

    private final BlockingQueue<ReceivedWebhook> queue = new LinkedBlockingQueue<>();
    private final IntakeProperties properties;
    private final BridgeMetrics metrics;
    private final IntakeJournal journal;
    /**
     * Looked up when first needed: a lifecycle bean's direct dependencies are started before it, and starting
     * the Camel context that early would leave it without the routes folder's routes.
     */
    private final ObjectProvider<CamelContext> camel;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running;
    private EverySecond checkpoints;

    public GroupCommit(IntakeProperties properties, BridgeMetrics metrics, IntakeJournal journal,
                       ObjectProvider<CamelContext> camel) {
        this.properties = properties;
        this.metrics = metrics;
        this.journal = journal;
        this.camel = camel;
    }

    /**
     * Request side: queues the webhook and waits for the commit of its batch. Marks a copy of a stored event
     * as Camel's idempotent consumer does ({@code CamelDuplicateMessage}); throws when nothing was stored.
     */
    public void store(Exchange exchange) throws Exception {
        ReceivedWebhook webhook = new ReceivedWebhook(
                exchange.getProperty(Flow.EVENT_ID, String.class),
                exchange.getProperty(Flow.EVENT, String.class),
                exchange.getProperty(Flow.TIMESTAMP, Long.class),
                exchange.getProperty(Flow.RECEIVED_AT, Instant.class),
                exchange.getProperty(Flow.REMOTE_ADDRESS, String.class),
                exchange.getMessage().getBody(byte[].class));
        if (!running) {
            throw new StoreBusyException("the bridge is stopping; the webhook was not stored");
        }
        queue.add(webhook);
        boolean duplicate;
        try {
            duplicate = outcome(webhook);
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof Exception cause ? cause : failed;
        }
        exchange.setProperty(Exchange.DUPLICATE_MESSAGE, duplicate);
    }

    private boolean outcome(ReceivedWebhook webhook) throws InterruptedException, ExecutionException {
        try {
            return webhook.committed.get(properties.queueTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException waitedTooLong) {
            if (webhook.decide()) {
                throw new ExecutionException(new StoreBusyException(
                        "no intake writer was free within " + properties.queueTimeout() + "; the webhook was not stored"));
            }
            // A writer has it: its commit decides, and the database's own timeouts bound the wait.
            return webhook.committed.get();
        }
    }

    /** Batch step: puts one webhook on its split exchange as the request had it, for the idempotent consumer. */
    public void open(Exchange exchange) {
        ReceivedWebhook webhook = exchange.getMessage().getBody(ReceivedWebhook.class);
        exchange.setProperty(Flow.RECEIVED_WEBHOOK, webhook);
        exchange.setProperty(Flow.EVENT_ID, webhook.eventId);
        exchange.setProperty(Flow.EVENT, webhook.event);
        exchange.setProperty(Flow.TIMESTAMP, webhook.timestamp);
        exchange.setProperty(Flow.RECEIVED_AT, webhook.receivedAt);
        exchange.setProperty(Flow.REMOTE_ADDRESS, webhook.remoteAddress);
        exchange.getMessage().setBody(webhook.rawBody);
    }

    /** Batch step: notes whether the idempotent consumer found the event stored already. */
    public void settle(Exchange exchange) {
        exchange.getProperty(Flow.RECEIVED_WEBHOOK, ReceivedWebhook.class).duplicate =
                exchange.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class);
    }

    private void write() {
        ProducerTemplate producer = null;
        List<ReceivedWebhook> batch = new ArrayList<>(properties.batchSize());
        while (running || !queue.isEmpty()) {
            try {
                if (!QueueBatches.next(queue, properties.batchSize(), batch)) {
                    continue;
                }
                batch.removeIf(webhook -> !webhook.decide());
                producer = producer == null ? camel.getObject().createProducerTemplate() : producer;
                commit(producer, batch);
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException unexpected) {
                log.error("Intake writer failed; its webhooks are answered 503", unexpected);
                batch.forEach(webhook -> webhook.committed.completeExceptionally(unexpected));
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(ProducerTemplate producer, List<ReceivedWebhook> batch) {
        if (batch.isEmpty()) {
            return;
        }
        // One order for every writer and instance: two batches holding the same ids cannot deadlock.
        batch.sort(Comparator.comparing(webhook -> webhook.eventId));
        Exchange exchange = new DefaultExchange(producer.getCamelContext());
        exchange.getMessage().setBody(batch);
        long started = System.nanoTime();
        Exception failure = producer.send(STORE_ROUTE, exchange).getException();
        if (failure == null) {
            failure = journaled(batch);
        }
        if (failure == null) {
            metrics.intakeCommitted(batch.size(), Duration.ofNanos(System.nanoTime() - started));
            batch.forEach(webhook -> webhook.committed.complete(webhook.duplicate));
        } else if (batch.size() > 1) {
            batch.forEach(webhook -> commit(producer, new ArrayList<>(List.of(webhook))));
        } else {
            batch.get(0).committed.completeExceptionally(failure);
        }
    }

    /**
     * Null once the committed batch is in the journal (or the store needs none); no 2xx goes out before. A journal
     * that cannot be written (a full disk) is the store failing, not a bug: its webhooks are answered 503 and the
     * outage told once a minute, not with a stack trace per webhook.
     */
    private Exception journaled(List<ReceivedWebhook> batch) {
        try {
            journal.append(batch);
            return null;
        } catch (IOException | UncheckedIOException notWritten) {
            return new DataAccessResourceFailureException("the intake journal could not be written", notWritten);
        } catch (RuntimeException notWritten) {
            return notWritten;
        }
    }

    /**
     * Before the bridge counts as started: stores the webhooks a killed process answered but may not have written
     * to its file (see {@link IntakeJournal}). They go through the same idempotent store, so the ones already
     * there count as copies. A webhook that cannot be stored stops the start-up rather than be forgotten.
     */
    @EventListener(ApplicationStartedEvent.class)
    public void replayJournal() {
        AtomicInteger stored = new AtomicInteger();
        int replayed;
        try (ProducerTemplate producer = camel.getObject().createProducerTemplate()) {
            replayed = journal.replay(properties.batchSize(), REPLAY_BATCH_BYTES,
                    batch -> stored.addAndGet(storeLeftBehind(producer, batch)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot replay the intake journal", e);
        }
        journal.recovered();
        if (replayed > 0) {
            log.info("Intake journal replayed: {} webhooks, {} of them not yet in the store", replayed, stored.get());
        }
    }

    /** Stores one batch of the journal's webhooks; returns how many of them were not in the store yet. */
    private int storeLeftBehind(ProducerTemplate producer, List<ReceivedWebhook> batch) {
        batch.forEach(ReceivedWebhook::decide);
        commit(producer, batch);
        int stored = 0;
        for (ReceivedWebhook webhook : batch) {
            try {
                stored += webhook.committed.join() ? 0 : 1;
            } catch (CompletionException failed) {
                throw new IllegalStateException("cannot store webhook " + webhook.eventId
                        + " from the intake journal; the journal is kept for the next start-up", failed.getCause());
            }
        }
        return stored;
    }

    @Override
    public void start() {
        journal.open();
        running = true;
        for (int i = 1; i <= properties.writers(); i++) {
            Thread writer = new Thread(this::write, "intake-writer-" + i);
            writer.setDaemon(true);
            writer.start();
            writers.add(writer);
        }
        checkpoints = EverySecond.start("intake-journal", journal::checkpoint);
    }

    /** Runs after Camel and the web server have stopped: the webhooks still waiting get their commit first. */
    @Override
    public void stop() {
        running = false;
        for (Thread writer : writers) {
            try {
                writer.join(30_000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        writers.clear();
        // A checkpoint still running would start a new journal file after close() removed the last one.
        checkpoints.stop();
        journal.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
