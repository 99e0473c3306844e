package io.embedserve.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The service's throughput targets that one run of bench/http.sh measures, each beside its
 * figure: the median of per-round ratios on the retrieval corpus, as the targets are defined.
 * A target whose figure this run did not take says why, instead of passing silently.
 */
final class TargetSummary {

    private static final String WORKLOAD = "retrieval";

    private final HttpResults results;
    private final List<String> dtypes;
    private final MarkdownTable table = new MarkdownTable("<what", "measured", "target", "<verdict");

    TargetSummary(HttpResults results, List<String> dtypes) {
        this.results = results;
        this.dtypes = dtypes;
    }

    void print(List<FirstMinute.Result> firstMinutes, PrintStream out) {
        String f32 = HttpResults.service("float32");
        atLeast("float32 / HTTP peer, 32 connections", serverRatio(f32, 32, HttpResults.PEER, 32), 1.3);
        atLeast("float32, 32 connections / LangChain4j in-process embedAll",
                HttpResults.medianRatio(results.rates(f32, WORKLOAD, 32), results.inProcessRates(WORKLOAD, HttpResults.EMBED_ALL)), 1.1);
        if (dtypes.contains("bfloat16")) {
            atLeast("bfloat16 / HTTP peer, 32 connections", serverRatio(HttpResults.service("bfloat16"), 32, HttpResults.PEER, 32), 2.0);
        }
        atLeast("float32, 1 connection / HTTP peer, 1 connection", serverRatio(f32, 1, HttpResults.PEER, 1), 1.1);
        atLeast("float32, 1 connection / LangChain4j in-process sequential embed()",
                HttpResults.medianRatio(results.rates(f32, WORKLOAD, 1), results.inProcessRates(WORKLOAD, HttpResults.SEQUENTIAL)), 1.0);
        atLeast("float32, 128 / 32 connections, requests/s", serverRatio(f32, 128, f32, 32), 0.95);
        List<Double> tails = results.results(f32, WORKLOAD, 128).stream().map(r -> r.p99Millis() / r.p50Millis())
                .filter(Double::isFinite).toList();
        atMost("float32, p99 / p50 at 128 connections", tails.isEmpty() ? Optional.empty() : Optional.of(GemmBenchmark.median(tails)), 4.0);
        Optional<Double> warm = firstMinutes.stream().filter(r -> r.server().equals(f32)).map(FirstMinute.Result::ratio).findFirst();
        atLeast("float32, first minute after readiness / steady state", warm, 0.9);
        if (dtypes.contains("int8")) {
            atLeast("int8 / HTTP peer, 32 connections", serverRatio(HttpResults.service("int8"), 32, HttpResults.PEER, 32), 2.5);
        }
        out.println("## Targets (" + WORKLOAD + " corpus, medians of per-round ratios)");
        out.println();
        table.print(out);
        out.println("Not measured by this benchmark: the real-shape XLM-R service against the engine offline"
                + " (bench/paired.sh) and the fidelity bounds of bfloat16 and int8 on the real models (DtypeFidelityTest).");
        out.println();
    }

    private Optional<Double> serverRatio(String server, int connections, String reference, int referenceConnections) {
        return HttpResults.medianRatio(results.rates(server, WORKLOAD, connections),
                results.rates(reference, WORKLOAD, referenceConnections));
    }

    private void atLeast(String what, Optional<Double> figure, double target) {
        Optional<Double> measured = figure.filter(Double::isFinite);
        table.row(what, measured.map(MarkdownTable::ratio).orElse("-"), "≥ " + target + "×",
                measured.map(m -> m >= target ? "met" : String.format(Locale.ROOT, "**missed** (%.0f%% short)", 100 * (1 - m / target)))
                        .orElse("not measured in this run"));
    }

    private void atMost(String what, Optional<Double> figure, double target) {
        Optional<Double> measured = figure.filter(Double::isFinite);
        table.row(what, measured.map(MarkdownTable::ratio).orElse("-"), "≤ " + target + "×",
                measured.map(m -> m <= target ? "met" : String.format(Locale.ROOT, "**missed** (%.0f%% over)", 100 * (m / target - 1)))
                        .orElse("not measured in this run"));
    }
}
