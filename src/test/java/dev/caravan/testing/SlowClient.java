package dev.caravan.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A client that sends a request's head, then its body a byte a second, as a slowloris attack does. */
public final class SlowClient {
    private SlowClient() {}

    /**
     * Sends {@code head} (which promises a longer body), then up to {@code bytes} body bytes a second apart until
     * the server answers; returns everything the server sent before it closed the connection.
     */
    public static String dribble(String host, int port, String head, int bytes)
            throws IOException, InterruptedException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(20_000); // only stops a test that would hang: servers' deadlines are shorter
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < bytes && in.available() == 0; i++) {
                out.write('{');
                out.flush();
                Thread.sleep(1000);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
