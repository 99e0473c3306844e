package io.embedserve.bench;

import static io.embedserve.bench.MarkdownTable.number;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The timed part of bench/http.sh, in interleaved rounds: each round runs every workload at every
 * connection count on every server (the servers' order rotates from round to round, so that none
 * always runs first), each run preceded by untimed load on the same server; then LangChain4j
 * in-process on every workload while the servers idle. Each run is printed the moment it ends.
 */
final class HttpRounds {

    /** Seconds of each timed run, of the untimed load before it, and of the first warm-up of each server. */
    record Timing(int rounds, int seconds, int warmup, int initialWarmup) {}

    private final Wrk wrk;
    private final Map<String, URI> servers;
    private final Map<String, Path> bodies;
    private final Map<String, List<String>> texts;
    private final List<Integer> connections;
    private final LangChain4jInProcess inProcess;
    private final Timing timing;
    private final PrintStream out;

    /** @param inProcess null when LangChain4j in-process is skipped */
    HttpRounds(Wrk wrk, Map<String, URI> servers, Map<String, Path> bodies, Map<String, List<String>> texts,
            List<Integer> connections, LangChain4jInProcess inProcess, Timing timing, PrintStream out) {
        this.wrk = wrk;
        this.servers = servers;
        this.bodies = bodies;
        this.texts = texts;
        this.connections = connections;
        this.inProcess = inProcess;
        this.timing = timing;
        this.out = out;
    }

    /** Every server on every workload at the highest connection count, and LangChain4j, before anything counts. */
    void warmUp() {
        if (timing.initialWarmup() <= 0) {
            return;
        }
        int most = connections.stream().mapToInt(Integer::intValue).max().orElse(32);
        servers.forEach((server, url) -> bodies.forEach((workload, file) -> {
            progress("warm-up: %s, %s, %d connections, %d s", server, workload, most, timing.initialWarmup());
            WrkResult warm = wrk.run(url, file, most, timing.initialWarmup());
            if (warm.failed()) {
                progress("WARNING: %s during its warm-up on %s: %s", server, workload, warm.problem());
            }
        }));
        if (inProcess != null) {
            texts.forEach((workload, list) -> {
                progress("warm-up: LangChain4j in-process, %s, %d s", workload, timing.initialWarmup());
                inProcess.embedAllRate(list, Duration.ofSeconds(timing.initialWarmup()));
            });
        }
    }

    HttpResults run() {
        HttpResults results = new HttpResults(timing.rounds());
        out.println("## Runs, in the order they ran");
        out.println();
        MarkdownTable live = new MarkdownTable("round", "<workload", "connections", "<server",
                "req/s (in-process: texts/s)", "p50 ms", "p95 ms", "p99 ms", "<problem");
        live.printOpen(out);
        List<String> names = new ArrayList<>(servers.keySet());
        for (int round = 1; round <= timing.rounds(); round++) {
            for (String workload : bodies.keySet()) {
                for (int c : connections) {
                    for (int i = 0; i < names.size(); i++) {
                        String server = names.get((i + round - 1) % names.size());
                        WrkResult result = timedRun(server, workload, c, round);
                        results.add(new HttpResults.Run(round, server, workload, c, result));
                        out.printf("| %d | %s | %d | %s | %s | %s | %s | %s | %s |%n", round, workload, c, server,
                                number(result.requestsPerSecond()), number(result.p50Millis()), number(result.p95Millis()),
                                number(result.p99Millis()), result.failed() ? "**FAILED: " + result.problem() + "**" : "none");
                    }
                }
            }
            if (inProcess != null) {
                runInProcess(round, results);
            }
        }
        out.println();
        return results;
    }

    private WrkResult timedRun(String server, String workload, int c, int round) {
        URI url = servers.get(server);
        progress("round %d/%d: %s, %s, %d connections, %d s after %d s of warm-up", round, timing.rounds(), server,
                workload, c, timing.seconds(), timing.warmup());
        if (timing.warmup() > 0) {
            wrk.run(url, bodies.get(workload), c, timing.warmup());
        }
        return wrk.run(url, bodies.get(workload), c, timing.seconds());
    }

    private void runInProcess(int round, HttpResults results) {
        Duration warmup = Duration.ofSeconds(timing.warmup());
        Duration measured = Duration.ofSeconds(timing.seconds());
        for (Map.Entry<String, List<String>> workload : texts.entrySet()) {
            for (String mode : List.of(HttpResults.EMBED_ALL, HttpResults.SEQUENTIAL)) {
                progress("round %d/%d: LangChain4j in-process %s, %s", round, timing.rounds(), mode, workload.getKey());
                boolean all = mode.equals(HttpResults.EMBED_ALL);
                if (all) {
                    inProcess.embedAllRate(workload.getValue(), warmup);
                } else {
                    inProcess.sequentialEmbedRate(workload.getValue(), warmup);
                }
                double rate = all ? inProcess.embedAllRate(workload.getValue(), measured)
                        : inProcess.sequentialEmbedRate(workload.getValue(), measured);
                results.add(new HttpResults.InProcess(round, workload.getKey(), mode, rate));
                out.printf("| %d | %s | - | LangChain4j in-process %s | %s | | | | |%n", round, workload.getKey(), mode,
                        number(rate));
            }
        }
    }

    /** Progress goes to stderr: stdout holds only the report. */
    static void progress(String format, Object... args) {
        System.err.printf(java.util.Locale.ROOT, format + "%n", args);
    }
}
