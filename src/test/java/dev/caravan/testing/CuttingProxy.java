package dev.caravan.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy in front of a real PostgreSQL that can cut one connection at a chosen moment: after it has passed on
 * a client message containing some text (a {@code COMMIT}, an {@code insert}), it drops the server's answer and
 * closes both sides, as a network failure would. The server still does what it was sent.
 */
public final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final AtomicReference<byte[]> cutAfter = new AtomicReference<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger cuts = new AtomicInteger();

    public CuttingProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The next client message that contains {@code text} reaches the server, and its connection is then cut. */
    public void cutAfterNext(String text) {
        cutAfter.set(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** How many connections were cut. */
    public int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(targetHost, targetPort);
                open.add(client);
                open.add(server);
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[65536];
                    try (InputStream in = from.getInputStream()) {
                        OutputStream out = to.getOutputStream();
                        int read;
                        while ((read = in.read(buffer)) > 0) {
                            boolean cutting = fromClient && shouldCut(buffer, read);
                            if (cutting) {
                                closeQuietly(from); // before the server can answer
                            }
                            out.write(buffer, 0, read);
                            out.flush();
                            if (cutting) {
                                closeServerOnceItActed(to);
                                return;
                            }
                        }
                    } catch (IOException e) {
                        // one side closed
                    }
                    closeQuietly(from);
                    closeQuietly(to);
                },
                "cutting-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private boolean shouldCut(byte[] data, int length) {
        byte[] marker = cutAfter.get();
        if (marker == null || indexOf(data, length, marker) < 0) {
            return false;
        }
        return cutAfter.compareAndSet(marker, null);
    }

    /** The server gets a moment to act on what it was sent; then its side goes too. */
    private void closeServerOnceItActed(Socket server) {
        cuts.incrementAndGet();
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(server);
    }

    private static int indexOf(byte[] data, int length, byte[] marker) {
        for (int i = 0; i + marker.length <= length; i++) {
            int j = 0;
            while (j < marker.length && data[i + j] == marker[j]) {
                j++;
            }
            if (j == marker.length) {
                return i;
            }
        }
        return -1;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        open.forEach(CuttingProxy::closeQuietly);
    }
}
