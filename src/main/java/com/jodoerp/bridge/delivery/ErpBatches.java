package com.jodoerp.bridge.delivery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.jodoerp.bridge.flow.Flow;
import com.jodoerp.bridge.system.BackgroundPriority;
import com.jodoerp.bridge.system.QueueBatches;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit into an ERP database: the records the delivery workers hand to one JDBC target at the same time are
 * written in one ERP transaction, a batch at a time, instead of one transaction (and one durable commit) each.
 *
 * <p>Records are spread over as many writers as the target has connections, by student: two records of one student
 * always go to the same writer, so they are never in two transactions at once, and within a batch the records are
 * written in student order, so two batches lock students' rows in the same order and never wait for each other the
 * other way round. When a batch fails, each of its records is written again in a transaction of its own: the
 * records that can be written are, and only the one that cannot fails (and is retried, or dead-lettered at once
 * when the database refuses its values: ErpDataRefusals). When the ERP cannot be reached at all, the whole batch
 * fails at once, and so does the rest of a failed batch once one of its records cannot reach it.
 *
 * <p>A delivery worker hands its record over and is free for the next one: the record's delivery goes on once its
 * transaction committed (delivered) or its own write failed (failed, with the error that record met), on a thread of
 * the target's own. Were each worker to wait instead, a writer would see at most as many records at once as there
 * are delivery workers (eight, spread over the writers): about one per transaction, measured even while draining a
 * backlog of thousands (bench/RESULTS.md, 2026-12-03).
 */
public final class ErpBatches extends ServiceSupport {

    /** Records in one ERP transaction at most. */
    static final int MAX_BATCH = 100;
    /** How long a record may wait for its writer at most, apart from its batch. */
    private static final long WAIT_MINUTES = 2;
    private static final Comparator<Pending> STUDENT_ORDER = Comparator.comparing(pending -> pending.student);

    private final String target;
    private final TransactionTemplate transactions;
    private final ProducerTemplate producer;
    private final String statements;
    /** Sends a batch's statements together at commit; null when the target's option says not to. */
    private final BatchedStatements together;
    /** Where a record that outlives its batch's wait goes on waiting. */
    private final CallsApart calls;
    private final List<BlockingQueue<Pending>> queues = new ArrayList<>();
    private final List<Thread> writers = new ArrayList<>();
    /** Where a written record's delivery goes on (see write). */
    private ExecutorService settling;
    /** Ends the waits of records whose writer has not answered (see write). */
    private ScheduledExecutorService waits;
    private volatile boolean running;

    /**
     * @param statements the endpoint that writes one record (its statements), joining the writer's transaction
     * @param together sends a batch's statements together at commit (its data source is the transactions'), or null
     * @param calls where a record that outlives its batch's wait goes on waiting, and how long that wait is
     */
    public ErpBatches(String target, TransactionTemplate transactions, ProducerTemplate producer, String statements,
                      int writers, BatchedStatements together, CallsApart calls) {
        this.target = target;
        this.calls = calls;
        this.transactions = transactions;
        this.producer = producer;
        this.statements = statements;
        this.together = together;
        for (int i = 0; i < Math.max(1, writers); i++) {
            queues.add(new LinkedBlockingQueue<>());
        }
    }

    /** One record waiting for its batch's outcome. */
    private static final class Pending {
        /** Its parameters and properties as handed over: the delivery may go on before the writer reads them. */
        final Object body;
        final Map<String, Object> properties;
        final String student;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        /** Set by whichever comes first: the record's outcome, or the end of its batch's wait (see write). */
        final AtomicBoolean settled = new AtomicBoolean();

        Pending(Exchange exchange, String student) {
            this.body = exchange.getMessage().getBody();
            this.properties = new HashMap<>(exchange.getProperties());
            this.student = student;
        }
    }

    /**
     * Hands the record (the body: its parameters, as {@code jdbcTarget.rows} made them) to its student's writer. The
     * route goes on when the returned stage completes (Camel's bean binding waits for it without a thread): once the
     * record is committed, or with what writing it alone met; or, should neither come within the batch's wait
     * ({@code bridge.delivery.slow-attempt}: a database that hangs, or a table another program keeps locked), with
     * the record going on waiting apart, so that the batch, and the target's other deliveries in it, go on
     * (CallsApart; its outcome is recorded when the writer is done with it).
     */
    public CompletableFuture<Void> write(Exchange exchange) {
        if (!running) {
            throw new IllegalStateException("target " + target + " is stopping");
        }
        Object student = exchange.getMessage().getBody(Map.class).get("jodo_student_id");
        Pending pending = new Pending(exchange, student == null ? "" : student.toString());
        CompletableFuture<Void> settled = new CompletableFuture<>();
        // The delivery goes on on the settling thread, never on the writer's, which would otherwise carry the rest of
        // the delivery round before its next batch. What the record met arrives as it is (the writer completes this
        // very future), so the delivery records it the same way as before (a dependent stage of it would hand Camel
        // a CompletionException instead).
        pending.done.whenCompleteAsync((committed, failed) -> {
            if (!pending.settled.compareAndSet(false, true)) {
                return;
            }
            if (failed == null) {
                settled.complete(null);
            } else {
                settled.completeExceptionally(failed);
            }
        }, this::settle);
        if (exchange.getProperty(DeliveryQueue.CALL_APART, false, Boolean.class)) {
            // Its call waits for it apart already (a probe of the target on hold, CallsApart).
            bounded(pending.done);
        } else {
            after(calls.batchWait().toMillis(), TimeUnit.MILLISECONDS, () -> {
                if (!pending.settled.get()) {
                    settle(() -> answerLater(exchange, pending, settled));
                }
            });
        }
        queues.get(Math.floorMod(Objects.hashCode(pending.student), queues.size())).add(pending);
        return settled;
    }

    /** The batch's wait is over: unless its outcome came first, the record goes on waiting apart from its batch. */
    private void answerLater(Exchange exchange, Pending pending, CompletableFuture<Void> settled) {
        if (!pending.settled.compareAndSet(false, true)) {
            return;
        }
        Exchange call = exchange.copy();
        CompletableFuture<Exchange> answer = new CompletableFuture<>();
        bounded(pending.done).whenCompleteAsync((committed, failed) -> {
            if (failed == null) {
                answer.complete(call);
            } else {
                answer.completeExceptionally(failed);
            }
        }, this::settle);
        settled.completeExceptionally(calls.unanswered(exchange, call, answer));
    }

    /**
     * A writer that stopped, or a database that never answers (the URL sets no socket timeout), makes the record a
     * failed attempt to retry after a while: the statements are idempotent should it land after all.
     */
    private CompletableFuture<Void> bounded(CompletableFuture<Void> done) {
        after(WAIT_MINUTES, TimeUnit.MINUTES, () -> done.completeExceptionally(new TransientDeliveryException(
                "target " + target + ": the ERP database has not finished writing this record in " + WAIT_MINUTES
                        + " minutes", null)));
        return done;
    }

    private void after(long delay, TimeUnit unit, Runnable task) {
        try {
            waits.schedule(task, delay, unit);
        } catch (RejectedExecutionException stopped) {
            // Stopping, after the writers: each record handed to them has its outcome already.
        }
    }

    /** On the settling thread; on the writer's own once stopped, so that no delivery is left waiting. */
    private void settle(Runnable delivery) {
        try {
            settling.execute(delivery);
        } catch (RejectedExecutionException stopped) {
            delivery.run();
        }
    }

    private void drain(BlockingQueue<Pending> queue) {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                if (!QueueBatches.next(queue, MAX_BATCH, batch)) {
                    continue;
                }
                batch.sort(STUDENT_ORDER);
                writeBatch(batch);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                // writeBatch settles every record, so one still open here was cut off by the stop. Only those get
                // the exception: built for every record, with its stack trace, it cost one per delivery.
                batch.stream().filter(pending -> !pending.done.isDone()).forEach(pending -> pending.done
                        .completeExceptionally(new IllegalStateException(
                                "target " + target + " stopped before this record was written")));
                batch.clear();
            }
        }
    }

    private void writeBatch(List<Pending> batch) {
        try {
            transactions.executeWithoutResult(status -> {
                if (together != null && batch.size() > 1) {
                    together.together(batch, this::send);
                } else {
                    batch.forEach(this::send);
                }
            });
            batch.forEach(pending -> pending.done.complete(null));
        } catch (CannotCreateTransactionException unreachable) {
            // The ERP transaction did not even begin (no connection): no record was tried, and writing them one by
            // one would only wait out the connection timeout once per record. Each fails with it, to be retried.
            batch.forEach(pending -> pending.done.completeExceptionally(unreachable));
        } catch (RuntimeException batchFailed) {
            oneByOne(batch);
        }
    }

    /**
     * Writes each record of a failed batch in a transaction of its own. Once one cannot even begin (the database went
     * away with the batch: a restart, a dropped network), neither could the rest: they fail with it at once instead
     * of each waiting out the connection timeout in turn while the writer's other records queue behind them.
     */
    private void oneByOne(List<Pending> batch) {
        CannotCreateTransactionException unreachable = null;
        for (Pending pending : batch) {
            if (unreachable != null) {
                pending.done.completeExceptionally(unreachable);
                continue;
            }
            try {
                transactions.executeWithoutResult(status -> send(pending));
                pending.done.complete(null);
            } catch (CannotCreateTransactionException noConnection) {
                unreachable = noConnection;
                pending.done.completeExceptionally(noConnection);
            } catch (RuntimeException failed) {
                pending.done.completeExceptionally(ErpDataRefusals.classify(
                        failed instanceof RecordFailed recordFailed ? recordFailed.getCause() : failed));
            }
        }
    }

    /** Runs the record's statements on this thread, inside its transaction; a failure rolls the transaction back. */
    private void send(Pending pending) {
        Exchange written = producer.send(statements, copy -> {
            copy.getMessage().setBody(pending.body);
            copy.getProperties().putAll(pending.properties);
            copy.setProperty(Flow.ERP_TRANSACTION, true);
        });
        if (written.getException() != null) {
            throw new RecordFailed(RouteFileFailure.of(written));
        }
    }

    /** A record's own failure, carried out of the transaction callback to roll it back. */
    private static final class RecordFailed extends RuntimeException {
        RecordFailed(Exception cause) {
            super(cause);
        }
    }

    /** Once, however often Camel is asked to start it (ServiceSupport keeps its state). */
    @Override
    protected void doStart() {
        settling = Executors.newSingleThreadExecutor(work -> BackgroundPriority.newThread(work,
                "deliver-" + target + "-settle"));
        waits = Executors.newSingleThreadScheduledExecutor(work -> BackgroundPriority.newThread(work,
                "deliver-" + target + "-waits"));
        running = true;
        for (int i = 0; i < queues.size(); i++) {
            BlockingQueue<Pending> queue = queues.get(i);
            Thread writer = BackgroundPriority.newThread(() -> drain(queue), "deliver-" + target + "-writer-" + (i + 1));
            writer.start();
            writers.add(writer);
        }
    }

    /** Lets the writers finish what was handed to them, then ends them. */
    @Override
    protected void doStop() {
        running = false;
        for (Thread writer : writers) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        writers.clear();
        // Only now: every record the writers finished has its delivery queued to go on.
        waits.shutdownNow();
        settling.shutdown();
        try {
            settling.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
