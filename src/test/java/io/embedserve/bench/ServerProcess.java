package io.embedserve.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server the benchmark started in its own process, on a loopback port, with its output in a log
 * file. Closing it stops the process (SIGTERM, then SIGKILL after 20 s); a shutdown hook does the
 * same when the benchmark is interrupted, so that no server outlives it.
 */
final class ServerProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final URI url;
    private final Process process;
    private final Path log;
    private final long startedNanos = System.nanoTime();
    private final Thread stopOnExit;

    private ServerProcess(String name, URI url, Process process, Path log) {
        this.name = name;
        this.url = url;
        this.process = process;
        this.log = log;
        this.stopOnExit = new Thread(process::destroy, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Starts {@code command} with {@code environment} added to this process's own. */
    static ServerProcess start(String name, int port, List<String> command, Map<String, String> environment, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        try {
            return new ServerProcess(name, URI.create("http://127.0.0.1:" + port), builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /** A port nothing listens on now; another process could still take it before the server binds. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Polls {@code GET /health} every {@code pollMillis} until it answers 200; returns the seconds
     * since the process started. Fails with the end of the log when the process dies or time runs out.
     */
    double awaitHealthy(Duration timeout, long pollMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was healthy:\n" + logTail());
            }
            if (healthy()) {
                return (System.nanoTime() - startedNanos) / 1e9;
            }
            Thread.sleep(pollMillis);
        }
        throw new IllegalStateException(name + " was not healthy after " + timeout.toSeconds() + " s:\n" + logTail());
    }

    private boolean healthy() throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url.resolve("/health")).timeout(Duration.ofSeconds(2)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notListeningYet) {
            return false;
        }
    }

    String name() {
        return name;
    }

    URI url() {
        return url;
    }

    Path log() {
        return log;
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway; the process is gone
        }
    }
}
