package com.jodoerp.bridge.delivery;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.springframework.stereotype.Component;

/**
 * The most of an ERP's answer the bridge reads (REST, ERPNext, Tally, and their reconciliation reads): 16 MB, far
 * above any answer they give (a Tally day's export of thousands of vouchers is a few MB). Camel's HTTP client keeps
 * an answer whole in memory, and the targets read it as text: an endpoint that answers a file or a whole collection,
 * or an ERP gone wrong, would otherwise fill the heap and stop the bridge, again on each retry after the restart.
 * Such an answer is a dead letter at once, naming its size. The http and https components use it
 * ({@code camel.component.http.http-client-configurer}), and so does a REST target's own https component.
 */
@Component("erpAnswerLimit")
public class ErpAnswerLimit implements HttpClientConfigurer {

    static final long MAX_BYTES = 16L * 1024 * 1024;

    @Override
    public void configureHttpClient(HttpClientBuilder client) {
        client.addResponseInterceptorLast((response, details, context) -> {
            if (response instanceof ClassicHttpResponse classic && classic.getEntity() != null) {
                classic.setEntity(new Bounded(classic.getEntity()));
            }
        });
    }

    /** @param announced the answer's length as its Content-Length gives it, or -1 when it ran past the limit */
    private static PermanentDeliveryException tooLarge(long announced) {
        return new PermanentDeliveryException("the ERP answered with " + (announced < 0 ? "more than " + MAX_BYTES
                : announced) + " bytes, over the " + MAX_BYTES / 1024 / 1024 + " MB the bridge reads of an answer:"
                + " is the target's URL its API's?");
    }

    /** The answer's body, refused when it says, or turns out to be, larger than the limit. */
    private static final class Bounded extends HttpEntityWrapper {

        Bounded(HttpEntity answer) {
            super(answer);
        }

        @Override
        public InputStream getContent() throws IOException {
            if (getContentLength() > MAX_BYTES) {
                throw tooLarge(getContentLength());
            }
            return new FilterInputStream(super.getContent()) {
                private long read;

                @Override
                public int read() throws IOException {
                    int next = super.read();
                    count(next < 0 ? 0 : 1);
                    return next;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int got = super.read(buffer, offset, length);
                    count(Math.max(got, 0));
                    return got;
                }

                private void count(int bytes) {
                    read += bytes;
                    if (read > MAX_BYTES) {
                        throw tooLarge(-1);
                    }
                }
            };
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = getContent()) {
                in.transferTo(out);
            }
        }
    }
}
