package com.jodoerp.bridge.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 in front of a real server that can stop passing bytes without closing anything: a network
 * that drops a server's packets, as its clients see it (their reads wait, nothing is refused or reset).
 */
public final class FreezableRelay implements AutoCloseable {

    /** One client's connection and the relay's own to the server. */
    private static final class Link {
        final Socket client;
        final Socket server;
        volatile boolean silent;

        Link(Socket client, Socket server, boolean silent) {
            this.client = client;
            this.server = server;
            this.silent = silent;
        }
    }

    private final ServerSocket listening;
    private final int serverPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private volatile boolean frozen;

    public FreezableRelay(int serverPort) throws IOException {
        this.serverPort = serverPort;
        this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept, "relay-accept");
    }

    public int port() {
        return listening.getLocalPort();
    }

    /** Nothing passes from now on, on the connections open now and on those opened until {@link #thaw()}: for ever. */
    public void freeze() {
        frozen = true;
        links.forEach(link -> link.silent = true);
    }

    /** Connections opened from now on pass again; those frozen stay silent, as after a network's outage. */
    public void thaw() {
        frozen = false;
    }

    private void accept() {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                Link link = new Link(client, new Socket(InetAddress.getLoopbackAddress(), serverPort), frozen);
                links.add(link);
                daemon(() -> pass(link, client, link.server), "relay-up");
                daemon(() -> pass(link, link.server, client), "relay-down");
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Copies what {@code from} sends to {@code to} while the link is not silent; drops it afterwards. */
    private static void pass(Link link, Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                if (!link.silent) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
        } catch (IOException closed) {
            // The other side went away, or the relay was closed.
        }
    }

    private static void daemon(Runnable work, String name) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        listening.close();
        for (Link link : links) {
            link.client.close();
            link.server.close();
        }
    }
}
