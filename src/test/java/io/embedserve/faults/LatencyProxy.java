package io.embedserve.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy on loopback that forwards to a database and can hold every chunk the database sends
 * back for a set delay: a slow database, as the service sees it, without touching the database.
 */
final class LatencyProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "latency-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long delayMillis;

    LatencyProxy(int targetPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        threads.submit(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    void delay(long millis) {
        delayMillis = millis;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                threads.submit(() -> pump(client.getInputStream(), target.getOutputStream(), false, client, target));
                threads.submit(() -> pump(target.getInputStream(), client.getOutputStream(), true, client, target));
            } catch (IOException e) {
                // the proxy is closing, or the database refused: the client sees a closed connection
            }
        }
    }

    private Void pump(InputStream in, OutputStream out, boolean delayed, Socket a, Socket b) {
        byte[] buffer = new byte[16384];
        try (a; b) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                long delay = delayMillis;
                if (delayed && delay > 0) {
                    Thread.sleep(delay);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // either side went away
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
