package io.embedserve.faults;

import io.embedserve.testsupport.HttpJson;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closed-loop clients posting one text per request to a running service while a fault happens,
 * each request classified by what came back: an HTTP status (answered), a refused connection (never
 * accepted: nothing was lost), or anything else — a reset or closed connection, a timeout — after
 * the request was sent (lost). A fault suite row is built from these counts.
 */
final class FaultLoad implements AutoCloseable {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ExecutorService threads;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> latenciesMicros = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sent = new AtomicInteger();

    /** Starts {@code clients} clients cycling through {@code texts}. */
    FaultLoad(int port, int clients, List<String> texts) {
        threads = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            int first = c;
            threads.submit(() -> {
                for (int i = first; running.get(); i += clients) {
                    send(port, texts.get(i % texts.size()));
                }
            });
        }
    }

    private void send(int port, String text) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/embed"))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": " + HttpJson.quote(text) + "}")).build();
        long started = System.nanoTime();
        String outcome;
        try {
            sent.incrementAndGet();
            outcome = String.valueOf(client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
            latenciesMicros.add((System.nanoTime() - started) / 1000);
        } catch (ConnectException refused) {
            sent.decrementAndGet();
            outcome = "refused";
            sleep(20);
        } catch (IOException e) {
            outcome = "lost: " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Stops sending and waits for every request in flight to end. */
    FaultLoad stop() throws InterruptedException {
        running.set(false);
        threads.shutdown();
        threads.awaitTermination(180, TimeUnit.SECONDS);
        return this;
    }

    Map<String, Integer> outcomes() {
        Map<String, Integer> counts = new TreeMap<>();
        outcomes.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    int count(String outcome) {
        AtomicInteger n = outcomes.get(outcome);
        return n == null ? 0 : n.get();
    }

    /** Requests whose connection was accepted. */
    int sent() {
        return sent.get();
    }

    int answered() {
        return outcomes.entrySet().stream().filter(e -> e.getKey().matches("\\d{3}")).mapToInt(e -> e.getValue().get()).sum();
    }

    int lost() {
        return outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("lost")).mapToInt(e -> e.getValue().get()).sum();
    }

    int notOk() {
        return outcomes.entrySet().stream().filter(e -> !e.getKey().equals("200") && !e.getKey().equals("refused"))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /** The p-th percentile of answered requests' latency, in milliseconds. */
    double percentileMillis(double p) {
        List<Long> sorted = new ArrayList<>(latenciesMicros);
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        sorted.sort(null);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p / 100 * sorted.size()))) / 1000.0;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
