package com.jodoerp.bridge.webhook;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/**
 * How many bytes of webhook bodies the bridge holds at once, from the first byte read to the answer written
 * ({@code bridge.webhook.max-bodies-in-flight}). Each body is read whole and then parsed, stored and journaled, a few
 * copies of it at a time: a few hundred clients each sending a body near the size limit at the same moment would fill
 * the heap and stop the bridge (300 such bodies did, measured), whoever they are, since a signature can only be checked
 * on a body read whole. A body takes its room as its bytes arrive (announcing a large body costs nothing); beyond the
 * budget the webhook is answered 503 with {@code Retry-After} and the rest of its body is not read.
 */
@Component
class BodyBudget {

    private final long limit;
    private final AtomicLong held = new AtomicLong();

    BodyBudget(WebhookProperties properties, MeterRegistry registry) {
        this.limit = properties.maxBodiesInFlight().toBytes();
        // How full the budget is: an operator seeing 503 busy answers can tell a burst of large bodies (near the
        // limit) from slow clients holding little.
        Gauge.builder("bridge.webhook.bodies.in.flight", held, AtomicLong::get).baseUnit("bytes")
                .description("Bytes of webhook bodies held from their first byte read to their answer, at most"
                        + " bridge.webhook.max-bodies-in-flight")
                .register(registry);
    }

    long limit() {
        return limit;
    }

    /** A hold for one request's body, holding nothing yet. */
    Hold hold() {
        return new Hold();
    }

    /** Bytes held for one request, given back once, whatever ends it. */
    final class Hold implements AsyncListener {

        private long bytes;
        private boolean released;

        /** Holds {@code total} bytes in all, if it holds fewer; false, holding no more, when they are not free. */
        synchronized boolean growTo(long total) {
            long more = total - bytes;
            if (released || more <= 0) {
                return !released;
            }
            if (held.addAndGet(more) > limit) {
                held.addAndGet(-more);
                return false;
            }
            bytes = total;
            return true;
        }

        synchronized void release() {
            if (!released) {
                released = true;
                held.addAndGet(-bytes);
            }
        }

        /**
         * Released now if the request is done; else once it is (Camel answers on an async cycle of its own, which the
         * container ends only after the thread calling this has left the request).
         */
        void releaseWhenDone(HttpServletRequest request) {
            if (request.isAsyncStarted()) {
                try {
                    request.getAsyncContext().addListener(this);
                    return;
                } catch (IllegalStateException ended) {
                    // the cycle is over already: nothing holds the body any more
                }
            }
            release();
        }

        @Override
        public void onComplete(AsyncEvent event) {
            release();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            release();
        }

        @Override
        public void onError(AsyncEvent event) {
            release();
        }

        /** Another async cycle began before this one ended: its end is the request's. */
        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
