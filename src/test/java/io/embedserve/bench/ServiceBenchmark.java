package io.embedserve.bench;

import io.embedserve.testsupport.RetrievalCorpus;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The service over HTTP against what a JVM team would otherwise embed in-process: LangChain4j's
 * all-MiniLM-L6-v2 {@code embedAll}. They take turns in interleaved rounds on the same texts, so
 * that each pair sees the same machine: C clients send one text per request to a running service
 * (bench/service.sh starts it), then LangChain4j embeds the same corpus in chunks of 32 for as
 * long, while the service idles. Prints each round and the median ratio. The service is expected
 * warm (bench/service.sh warms it); {@code --warmup} warms LangChain4j.
 */
public final class ServiceBenchmark {

    private static final String USAGE = """
            ServiceBenchmark --url http://127.0.0.1:18080 [--corpus retrieval|FILE] [--count 2000]
                             [--concurrency 32] [--seconds 20] [--rounds 3] [--warmup 60] [--langchain4j true]""";

    private ServiceBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchArgs flags = BenchArgs.parse(args, BenchArgs.defaults(
                "url", "http://127.0.0.1:18080", "corpus", "retrieval", "count", "2000", "concurrency", "32",
                "seconds", "20", "rounds", "3", "warmup", "60", "langchain4j", "true"), USAGE);
        System.out.println("# ServiceBenchmark " + flags.describe());
        System.out.println(MachineInfo.describe());
        List<String> texts = flags.string("corpus").equals("retrieval")
                ? RetrievalCorpus.texts(flags.integer("count"), 42)
                : Files.readAllLines(Path.of(flags.string("corpus"))).stream().filter(l -> !l.isBlank()).toList();
        Duration round = Duration.ofSeconds(flags.integer("seconds"));
        LoadGenerator.Options http = new LoadGenerator.Options(URI.create(flags.string("url")),
                flags.integer("concurrency"), round, texts, "embed", 1, Long.MAX_VALUE);
        LangChain4jInProcess langChain4j = Boolean.parseBoolean(flags.string("langchain4j"))
                ? new LangChain4jInProcess() : null;
        if (langChain4j != null) {
            // bench/service.sh has warmed the service up already
            System.out.printf(Locale.ROOT, "LangChain4j warm-up: %d s%n", flags.integer("warmup"));
            langChain4j.embedAllRate(texts, Duration.ofSeconds(flags.integer("warmup")));
        }
        System.out.println("| round | service sent/s | latency p50 ms | p95 ms | errors | langchain4j sent/s | ratio |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        List<Double> ratios = new ArrayList<>();
        for (int r = 1; r <= flags.integer("rounds"); r++) {
            LoadGenerator.Result served = LoadGenerator.run(http);
            long[] sorted = served.latenciesMicros().clone();
            java.util.Arrays.sort(sorted);
            double rate = served.statuses().getOrDefault(200, 0L) / (served.nanos() / 1e9);
            double reference = langChain4j == null ? Double.NaN : langChain4j.embedAllRate(texts, round);
            ratios.add(rate / reference);
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.1f | %d | %.1f | %.2f |%n", r, rate,
                    LoadGenerator.Result.percentile(sorted, 50), LoadGenerator.Result.percentile(sorted, 95),
                    sorted.length - served.statuses().getOrDefault(200, 0L) + served.transportErrors(),
                    reference, rate / reference);
        }
        ratios.sort(null);
        System.out.printf(Locale.ROOT, "SERVICE/LANGCHAIN4J median ratio %.2f%n", ratios.get(ratios.size() / 2));
    }
}
