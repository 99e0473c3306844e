package io.embedserve.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service jar in a child JVM, as the image runs it: its own ports (never the defaults:
 * other builds share this machine), the native environment the image sets, JVM options and
 * settings chosen by the test, and its output in a log file. Failsafe passes the jar's path in
 * {@code embedserve.jar}; benchmarks pass it the same way.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    public final int port;
    public final int managementPort;

    private ServiceProcess(Process process, Path log, int port, int managementPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
    }

    /**
     * Starts the jar with the service's own JVM options, as the image and ./embedserve do; returns at
     * once (see {@link #awaitReady}).
     *
     * @param jvmOptions after the service's own, e.g. the image's heap settings
     * @param settings environment variables on top of the native environment and the ports
     */
    public static ServiceProcess start(List<String> jvmOptions, Map<String, String> settings, Path log)
            throws IOException {
        String jar = System.getProperty("embedserve.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("embedserve.jar must name the packaged jar (mvn package runs before the ITs); got " + jar);
        }
        int port = freePort();
        int managementPort = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ServiceJvmOptions.read());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar);
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.putAll(io.embedserve.inference.TorchRuntime.NATIVE_ENVIRONMENT);
        Map<String, String> ports = new LinkedHashMap<>();
        ports.put("PORT", String.valueOf(port));
        ports.put("MANAGEMENT_PORT", String.valueOf(managementPort));
        // With no API key the service starts only on loopback; a test that sets a key may override it.
        ports.put("SERVER_ADDRESS", "127.0.0.1");
        environment.putAll(ports);
        environment.putAll(settings);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return new ServiceProcess(builder.start(), log, port, managementPort);
    }

    public ServiceProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpJson http = new HttpJson(port);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + " before it was ready; log:\n" + tail());
            }
            try {
                if (http.get("/health").status() == 200) {
                    return this;
                }
            } catch (RuntimeException notYet) {
                // connection refused while it starts
            }
            sleep(250);
        }
        throw new IllegalStateException("the service was not ready after " + timeout + "; log:\n" + tail());
    }

    public HttpJson http() {
        return new HttpJson(port);
    }

    public HttpJson management() {
        return new HttpJson(managementPort);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, as `docker stop` and Kubernetes send; returns the exit code, or -1 if it did not exit. */
    public int terminate(Duration wait) throws InterruptedException {
        process.destroy();
        return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** The last lines of the service's log, for a failure message. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
