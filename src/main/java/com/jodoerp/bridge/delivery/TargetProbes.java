package com.jodoerp.bridge.delivery;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.jodoerp.bridge.flow.Flow;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * The probe of a target on hold (SlowTargets), sent without holding up its batch. A batch of deliveries lasts as long
 * as its slowest attempt, and a probe to a target that still does not answer would last its whole read timeout (30 s
 * by default) at every hold period, while the other targets' deliveries of the batch wait with it. So the probe goes
 * to its target on a thread of its own, and its batch waits for it only {@code bridge.delivery.slow-attempt}: if the
 * target has not answered by then, the delivery is recorded as waiting, and the probe's outcome, when it comes, lifts
 * or extends the hold and, when the target took it, records it as delivered (DeliveryQueue).
 */
@Component("targetProbes")
public class TargetProbes {

    private final ProducerTemplate producer;
    private final SlowTargets slowTargets;
    private final DeliveryQueue queue;

    public TargetProbes(ProducerTemplate producer, SlowTargets slowTargets, DeliveryQueue queue) {
        this.producer = producer;
        this.slowTargets = slowTargets;
        this.queue = queue;
    }

    /** Sends the probe; leaves the target's answer on the exchange as an attempt made in line would. */
    public void send(Exchange exchange) throws Exception {
        String target = exchange.getProperty(Flow.TARGET, String.class);
        CompletableFuture<Exchange> answer = producer.asyncSend("direct:deliver-to-" + target, exchange.copy());
        Exchange answered;
        try {
            answered = answer.get(slowTargets.probeWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillWaiting) {
            queue.answerLater(exchange, answer);
            throw new TransientDeliveryException("target '" + target + "' has not answered in "
                    + slowTargets.probeWait().toMillis() + " ms the delivery sent to see whether it answers again: it"
                    + " goes on waiting apart, so that other targets' deliveries go on, and is recorded when it is"
                    + " answered", slowTargets.holdPeriod(target));
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof Exception cause ? cause : failed;
        }
        // The target's answer (its HTTP status among the headers) is this attempt's, whatever it was.
        exchange.setMessage(answered.getMessage());
        if (answered.getException() != null) {
            throw answered.getException();
        }
    }
}
