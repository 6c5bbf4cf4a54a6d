package com.jodoerp.bridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.jodoerp.bridge.support.PackagedBridge;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients opening thousands of connections, each sending the first bytes of a webhook and then nothing, against the
 * packaged bridge with its shipped launch settings (a 192 MB heap). Each connection holds some 40 KB of the heap:
 * Tomcat's own limit of 8,192 let 3,000 of them fill it, and the bridge stopped. With the bridge's limit on
 * connections (server.tomcat.max-connections) the rest wait for one to close, and it lives on and answers webhooks.
 */
class ManyConnectionsIT {

    // Made for the run: the bridge under test reads it from its environment (JODO_WEBHOOK_SECRET).
    private static final String SECRET = Samples.freshId();
    private static final int CONNECTIONS = 4_000;
    private static final byte[] FIRST_BYTES = ("POST /webhooks/jodo HTTP/1.1\r\nHost: bridge\r\n"
            + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dataDir;

    @Test
    void connectionsBeyondWhatTheHeapHoldsWaitAndTheBridgeLivesOn() throws Exception {
        int port = PackagedBridge.freePort();
        Process bridge = PackagedBridge.start(dataDir, port, SECRET);
        List<Socket> opened = new ArrayList<>();
        try {
            PackagedBridge.awaitReady(port, bridge);
            // Bounded: 4,000 connections or 20 s, whichever comes first; those the bridge does not take in time are
            // not waited for.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (int i = 0; i < CONNECTIONS && System.nanoTime() < until && bridge.isAlive(); i++) {
                Socket socket = new Socket();
                try {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    OutputStream out = socket.getOutputStream();
                    out.write(FIRST_BYTES);
                    out.flush();
                    opened.add(socket);
                } catch (IOException notTaken) {
                    socket.close();
                }
            }
            // Past the body timeout (5 s) of the last ones let in: the bridge has answered them 408 by now.
            assertThat(bridge.waitFor(8, TimeUnit.SECONDS)).as("the bridge stopped").isFalse();
        } finally {
            for (Socket socket : opened) {
                socket.close();
            }
        }
        try {
            assertThat(opened).as("connections the test could open").isNotEmpty();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    PackagedBridge.post(port, SECRET, Samples.freshId()).statusCode() == 202);
            assertThat(bridge.isAlive()).isTrue();
        } finally {
            bridge.destroy();
            assertThat(bridge.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }
}
