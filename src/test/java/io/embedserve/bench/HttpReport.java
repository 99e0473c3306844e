package io.embedserve.bench;

import static io.embedserve.bench.MarkdownTable.number;
import static io.embedserve.bench.MarkdownTable.ratio;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables of bench/http.sh: for each workload and connection count, every server's requests/s
 * per round, the medians, latency percentiles, failed answers and the median per-round ratio of
 * each EmbedServe dtype to the HTTP peer; the highest connection count against the next; and
 * LangChain4j in-process beside the service.
 */
final class HttpReport {

    private final HttpResults results;
    private final List<String> servers;
    private final List<String> dtypes;
    private final boolean peer;
    private final List<Integer> connections;
    private final PrintStream out;

    HttpReport(HttpResults results, List<String> dtypes, boolean peer, List<Integer> connections, PrintStream out) {
        this.results = results;
        this.dtypes = dtypes;
        this.peer = peer;
        this.connections = connections;
        this.out = out;
        this.servers = new ArrayList<>(dtypes.stream().map(HttpResults::service).toList());
        if (peer) {
            servers.add(HttpResults.PEER);
        }
    }

    void workload(String workload, String description) {
        out.println("## " + workload + ": " + description);
        out.println();
        out.println("Each ratio is the median of per-round ratios, over the rounds in which neither run failed.");
        out.println();
        for (int c : connections) {
            out.println("### " + workload + ", " + c + (c == 1 ? " connection" : " connections"));
            out.println();
            throughputTable(workload, c).print(out);
        }
        if (connections.size() >= 2) {
            highestAgainstNext(workload).print(out);
        }
    }

    private MarkdownTable throughputTable(String workload, int c) {
        List<String> columns = new ArrayList<>(List.of("<server"));
        for (int r = 1; r <= results.rounds(); r++) {
            columns.add("round " + r + " req/s");
        }
        columns.addAll(List.of("median req/s", "p50 ms", "p95 ms", "p99 ms", "<failed runs", "ratio to peer"));
        MarkdownTable table = new MarkdownTable(columns.toArray(String[]::new));
        for (String server : servers) {
            List<Object> row = new ArrayList<>(List.of(server));
            List<WrkResult> runs = results.results(server, workload, c);
            runs.forEach(run -> row.add(number(run.requestsPerSecond())));
            for (int r = runs.size(); r < results.rounds(); r++) {
                row.add("-");
            }
            row.add(number(results.median(server, workload, c, WrkResult::requestsPerSecond).orElse(Double.NaN)));
            row.add(number(results.median(server, workload, c, WrkResult::p50Millis).orElse(Double.NaN)));
            row.add(number(results.median(server, workload, c, WrkResult::p95Millis).orElse(Double.NaN)));
            row.add(number(results.median(server, workload, c, WrkResult::p99Millis).orElse(Double.NaN)));
            row.add(failures(runs));
            row.add(server.equals(HttpResults.PEER) || !peer ? "-" : ratio(HttpResults.medianRatio(
                    results.rates(server, workload, c), results.rates(HttpResults.PEER, workload, c)).orElse(Double.NaN)));
            table.row(row.toArray());
        }
        return table;
    }

    /** Throughput should hold as connections grow past the point where the cores are busy, and the tail stay short. */
    private MarkdownTable highestAgainstNext(String workload) {
        List<Integer> sorted = connections.stream().sorted().toList();
        int high = sorted.get(sorted.size() - 1);
        int next = sorted.get(sorted.size() - 2);
        out.println("### " + workload + ", " + high + " against " + next + " connections");
        out.println();
        MarkdownTable table = new MarkdownTable("<server", "req/s " + high + " / " + next + " (median of rounds)",
                "p99 / p50 at " + high + " (median of rounds)");
        for (String server : servers) {
            List<Double> tails = results.results(server, workload, high).stream()
                    .map(r -> r.p99Millis() / r.p50Millis()).filter(Double::isFinite).toList();
            table.row(server, ratio(HttpResults.medianRatio(results.rates(server, workload, high),
                            results.rates(server, workload, next)).orElse(Double.NaN)),
                    ratio(tails.isEmpty() ? Double.NaN : GemmBenchmark.median(tails)));
        }
        return table;
    }

    /** LangChain4j in the benchmark's JVM, and each dtype of the service against it. */
    void inProcess(List<String> workloads) {
        out.println("## LangChain4j in-process (the benchmark's own JVM, while the servers idle)");
        out.println();
        List<String> columns = new ArrayList<>(List.of("<workload", "<call"));
        for (int r = 1; r <= results.rounds(); r++) {
            columns.add("round " + r + " texts/s");
        }
        columns.add("median texts/s");
        MarkdownTable rates = new MarkdownTable(columns.toArray(String[]::new));
        MarkdownTable ratios = new MarkdownTable("<workload", "<server",
                "32 connections / " + HttpResults.EMBED_ALL, "1 connection / " + HttpResults.SEQUENTIAL);
        for (String workload : workloads) {
            for (String mode : List.of(HttpResults.EMBED_ALL, HttpResults.SEQUENTIAL)) {
                List<Object> row = new ArrayList<>(List.of(workload, mode));
                List<Double> measured = results.inProcessRates(workload, mode);
                measured.forEach(rate -> row.add(number(rate)));
                row.add(number(measured.isEmpty() ? Double.NaN : GemmBenchmark.median(measured)));
                rates.row(row.toArray());
            }
            for (String dtype : dtypes) {
                String server = HttpResults.service(dtype);
                ratios.row(workload, server,
                        ratio(HttpResults.medianRatio(results.rates(server, workload, 32),
                                results.inProcessRates(workload, HttpResults.EMBED_ALL)).orElse(Double.NaN)),
                        ratio(HttpResults.medianRatio(results.rates(server, workload, 1),
                                results.inProcessRates(workload, HttpResults.SEQUENTIAL)).orElse(Double.NaN)));
            }
        }
        rates.print(out);
        out.println("Service against LangChain4j in-process, median of per-round ratios (requests/s over texts/s, one text per request):");
        out.println();
        ratios.print(out);
    }

    private static String failures(List<WrkResult> runs) {
        long failed = runs.stream().filter(WrkResult::failed).count();
        return failed == 0 ? "none" : "**FAILED in " + failed + " of " + runs.size() + " rounds** (see the runs)";
    }
}
