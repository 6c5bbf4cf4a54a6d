package com.jodoerp.bridge.delivery;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.jodoerp.bridge.flow.Flow;
import com.jodoerp.bridge.observability.EventLogContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * Attempts sent to their target without holding up their batch. A batch of deliveries lasts as long as its slowest
 * attempt, and an ERP that takes connections and never answers makes each attempt last its whole read timeout (30 s
 * by default) while the target's other deliveries in the batch wait with it (other targets have batches of their
 * own: DeliveryLanes). So an attempt that goes over the network and waits for an answer (REST, ERPNext, Tally,
 * SFTP, and any transport without Java saying otherwise), and the probe of a target on hold (SlowTargets), goes to
 * its target on a thread of its own, and its batch waits for it only {@code bridge.delivery.slow-attempt}.
 * Unanswered by then, the delivery is recorded as waiting, the target is put on hold (a probe's target stays on it),
 * and the answer, when it comes, lifts or extends the hold and, when the target took the record, records it as
 * delivered (DeliveryQueue).
 *
 * <p>The threads are made as calls need them: as many as the delivery workers waiting on them, plus the calls still
 * out to a target that stopped answering (those of its first batch, then one probe per hold), each ending with its
 * read timeout.
 *
 * <p>A database target's attempts stay in line, handed to its writers without a thread waiting (ErpBatches), and are
 * bounded the same way: one that outlives the batch's wait goes on waiting apart ({@link #unanswered}).
 */
@Component("callsApart")
public class CallsApart {

    private final ProducerTemplate producer;
    private final SlowTargets slowTargets;
    private final DeliveryQueue queue;
    private final ExecutorService calls;

    public CallsApart(ProducerTemplate producer, SlowTargets slowTargets, DeliveryQueue queue,
                      CamelContext camelContext) {
        this.producer = producer;
        this.slowTargets = slowTargets;
        this.queue = queue;
        // Made by Camel, which shuts it down with the routes; threads inherit the delivery workers' low priority.
        this.calls = camelContext.getExecutorServiceManager().newCachedThreadPool(this, "deliver-call");
    }

    /** Sends the attempt; leaves the target's answer on the exchange as an attempt made in line would. */
    public void send(Exchange exchange) throws Exception {
        String target = exchange.getProperty(Flow.TARGET, String.class);
        Exchange call = exchange.copy();
        String eventId = exchange.getProperty(Flow.EVENT_ID, String.class);
        CompletableFuture<Exchange> answer = CompletableFuture.supplyAsync(() -> {
            // The target's own lines are about this delivery, as in line.
            try (EventLogContext about = EventLogContext.about(eventId, target)) {
                return producer.send("direct:deliver-to-" + target, call);
            }
        }, calls);
        Exchange answered;
        try {
            answered = answer.get(slowTargets.callWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillWaiting) {
            throw unanswered(exchange, call, answer);
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof Exception cause ? cause : failed;
        }
        // The target's answer (its HTTP status among the headers) is this attempt's, whatever it was, and so is
        // what it booked.
        exchange.setMessage(answered.getMessage());
        exchange.setProperty(Flow.BOOKED_PAYMENT, answered.getProperty(Flow.BOOKED_PAYMENT));
        if (answered.getException() != null) {
            throw RouteFileFailure.of(answered);
        }
    }

    /**
     * The attempt has had no answer while its batch waited ({@code bridge.delivery.slow-attempt}): its target is put
     * on hold, and the delivery goes on waiting apart, recorded when {@code answer} comes (the exchange that went to
     * the target, {@code call}, with what the target did). Returns the failure the batch takes in its place.
     */
    TransientDeliveryException unanswered(Exchange exchange, Exchange call, CompletableFuture<Exchange> answer) {
        String target = exchange.getProperty(Flow.TARGET, String.class);
        // The hold first: an answer that comes in meanwhile lifts it when answerLater writes it.
        if (!exchange.getProperty(DeliveryQueue.PROBE, false, Boolean.class)) {
            slowTargets.unanswered(target);
        }
        queue.answerLater(exchange, call, answer);
        return new TransientDeliveryException("target '" + target + "' has not answered in "
                + slowTargets.callWait().toMillis() + " ms: the delivery goes on waiting apart, so that its batch"
                + " goes on, and is recorded when it is answered", slowTargets.holdPeriod(target));
    }

    /** How long a batch waits for an attempt before it goes on waiting apart. */
    Duration batchWait() {
        return slowTargets.callWait();
    }
}
