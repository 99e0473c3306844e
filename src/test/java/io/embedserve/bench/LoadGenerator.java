package io.embedserve.bench;

import io.embedserve.testsupport.Sentences;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Replays a corpus against a running EmbedServe (or TEI) at a chosen concurrency and reports
 * throughput, latency percentiles and errors by status. Loopback only: it refuses other hosts.
 *
 * <pre>
 * bench/load.sh --url http://127.0.0.1:8080 --concurrency 64 --seconds 30 --corpus short|mixed|retrieval|FILE
 *               [--route embed|openai] [--inputs-per-request 1] [--max-requests N]
 * </pre>
 */
public final class LoadGenerator {

    private LoadGenerator() {}

    record Options(URI url, int concurrency, Duration duration, List<String> corpus, String route,
            int inputsPerRequest, long maxRequests) {}

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        Result result = run(options);
        System.out.println(result.report(options));
    }

    static Options parse(String[] args) throws IOException {
        Map<String, String> flags = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            flags.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        URI url = URI.create(flags.getOrDefault("url", "http://127.0.0.1:8080"));
        String host = url.getHost();
        if (!host.equals("localhost") && !host.startsWith("127.") && !host.equals("[::1]") && !host.equals("::1")) {
            throw new IllegalArgumentException("load generator targets loopback only, not " + host);
        }
        String corpusName = flags.getOrDefault("corpus", "short");
        List<String> corpus = switch (corpusName) {
            case "short" -> Sentences.shortSentences(2048);
            case "mixed" -> Sentences.VARIED;
            case "retrieval" -> io.embedserve.testsupport.RetrievalCorpus.texts(2000, 42);
            default -> Files.readAllLines(Path.of(corpusName)).stream().filter(l -> !l.isBlank()).toList();
        };
        return new Options(url, Integer.parseInt(flags.getOrDefault("concurrency", "8")),
                Duration.ofSeconds(Long.parseLong(flags.getOrDefault("seconds", "20"))), corpus,
                flags.getOrDefault("route", "embed"), Integer.parseInt(flags.getOrDefault("inputs-per-request", "1")),
                Long.parseLong(flags.getOrDefault("max-requests", String.valueOf(Long.MAX_VALUE))));
    }

    record Result(long[] latenciesMicros, long inputs, long nanos, Map<Integer, Long> statuses, long transportErrors) {

        String report(Options o) {
            long[] sorted = latenciesMicros.clone();
            Arrays.sort(sorted);
            double seconds = nanos / 1e9;
            long ok = statuses.getOrDefault(200, 0L);
            return String.format(
                    "route=%s concurrency=%d corpus=%d texts inputs/request=%d duration=%.1fs%n"
                            + "requests=%d ok=%d statuses=%s transport_errors=%d%n"
                            + "throughput: %.1f requests/s, %.1f inputs/s%n"
                            + "latency ms: p50=%.1f p95=%.1f p99=%.1f max=%.1f",
                    o.route(), o.concurrency(), o.corpus().size(), o.inputsPerRequest(), seconds,
                    sorted.length, ok, statuses, transportErrors,
                    ok / seconds, inputs / seconds,
                    percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0);
        }

        static double percentile(long[] sorted, double p) {
            if (sorted.length == 0) {
                return 0;
            }
            int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
            return sorted[Math.max(0, index)] / 1000.0;
        }
    }

    static Result run(Options o) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI target = o.url().resolve(o.route().equals("openai") ? "/v1/embeddings" : "/embed");
        String field = o.route().equals("openai") ? "input" : "inputs";
        AtomicInteger next = new AtomicInteger();
        AtomicLong issued = new AtomicLong();
        LongAdder inputs = new LongAdder();
        LongAdder transportErrors = new LongAdder();
        Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        List<long[]> perThread = new ArrayList<>();
        long deadline = System.nanoTime() + o.duration().toNanos();
        CountDownLatch done = new CountDownLatch(o.concurrency());
        long started = System.nanoTime();
        for (int t = 0; t < o.concurrency(); t++) {
            long[][] holder = new long[1][];
            Thread worker = new Thread(() -> {
                long[] latencies = new long[1 << 16];
                int count = 0;
                while (System.nanoTime() < deadline && issued.incrementAndGet() <= o.maxRequests()) {
                    String body = body(field, o, next);
                    HttpRequest request = HttpRequest.newBuilder(target).header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    long sent = System.nanoTime();
                    try {
                        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        statuses.merge(status, 1L, Long::sum);
                        if (status == 200) {
                            inputs.add(o.inputsPerRequest());
                        }
                    } catch (IOException e) {
                        transportErrors.increment();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = (System.nanoTime() - sent) / 1000;
                }
                holder[0] = Arrays.copyOf(latencies, count);
                synchronized (perThread) {
                    perThread.add(holder[0]);
                }
                done.countDown();
            }, "load-" + t);
            worker.start();
        }
        done.await();
        long elapsed = System.nanoTime() - started;
        long[] all = perThread.stream().flatMapToLong(Arrays::stream).toArray();
        return new Result(all, inputs.sum(), elapsed, new TreeMap<>(statuses), transportErrors.sum());
    }

    private static String body(String field, Options o, AtomicInteger next) {
        StringBuilder json = new StringBuilder("{\"").append(field).append("\": [");
        for (int i = 0; i < o.inputsPerRequest(); i++) {
            String text = o.corpus().get(Math.floorMod(next.getAndIncrement(), o.corpus().size()));
            json.append(i == 0 ? "" : ",").append('"').append(escape(text)).append('"');
        }
        return json.append("]}").toString();
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.toString();
    }
}
