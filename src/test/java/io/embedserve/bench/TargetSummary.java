package io.embedserve.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

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
        String peer = HttpResults.PEER;
        atLeast("float32 / HTTP peer, 32 connections", serverRatio(f32, 32, peer, 32), 1.3, valid(f32, 32) && valid(peer, 32));
        atLeast("float32, 32 connections / LangChain4j in-process embedAll",
                HttpResults.medianRatio(results.rates(f32, WORKLOAD, 32), results.inProcessRates(WORKLOAD, HttpResults.EMBED_ALL)),
                1.1, valid(f32, 32));
        if (dtypes.contains("bfloat16")) {
            String bf16 = HttpResults.service("bfloat16");
            atLeast("bfloat16 / HTTP peer, 32 connections", serverRatio(bf16, 32, peer, 32), 2.0, valid(bf16, 32) && valid(peer, 32));
        }
        atLeast("float32, 1 connection / HTTP peer, 1 connection", serverRatio(f32, 1, peer, 1), 1.1, valid(f32, 1) && valid(peer, 1));
        atLeast("float32, 1 connection / LangChain4j in-process sequential embed()",
                HttpResults.medianRatio(results.rates(f32, WORKLOAD, 1), results.inProcessRates(WORKLOAD, HttpResults.SEQUENTIAL)),
                1.0, valid(f32, 1));
        atLeast("float32, 128 / 32 connections, requests/s", serverRatio(f32, 128, f32, 32), 0.95, valid(f32, 128) && valid(f32, 32));
        List<Double> tails = results.results(f32, WORKLOAD, 128).stream().map(r -> r.p99Millis() / r.p50Millis())
                .filter(Double::isFinite).toList();
        atMost("float32, p99 / p50 at 128 connections", tails.isEmpty() ? Optional.empty() : Optional.of(GemmBenchmark.median(tails)),
                4.0, valid(f32, 128));
        Optional<FirstMinute.Result> warm = firstMinutes.stream().filter(r -> r.server().equals(f32)).findFirst();
        atLeast("float32, first minute after readiness / steady state", warm.map(FirstMinute.Result::ratio), 0.9,
                warm.map(r -> !r.failed()).orElse(true));
        if (dtypes.contains("int8")) {
            String int8 = HttpResults.service("int8");
            atLeast("int8 / HTTP peer, 32 connections", serverRatio(int8, 32, peer, 32), 2.5, valid(int8, 32) && valid(peer, 32));
        }
        out.println("## Targets (" + WORKLOAD + " corpus, medians of per-round ratios)");
        out.println();
        table.print(out);
        out.println("Not measured by this benchmark: the real-shape XLM-R service against the engine offline"
                + " (bench/paired.sh) and the fidelity bounds of bfloat16 and int8 on the real models (DtypeFidelityTest).");
        out.println();
    }

    /** No run behind a figure failed: a target met by a run whose answers failed is not met. */
    private boolean valid(String server, int connections) {
        return results.results(server, WORKLOAD, connections).stream().noneMatch(WrkResult::failed);
    }

    private Optional<Double> serverRatio(String server, int connections, String reference, int referenceConnections) {
        return HttpResults.medianRatio(results.rates(server, WORKLOAD, connections),
                results.rates(reference, WORKLOAD, referenceConnections));
    }

    private void atLeast(String what, Optional<Double> figure, double target, boolean valid) {
        Optional<Double> measured = figure.filter(Double::isFinite);
        table.row(what, measured.map(MarkdownTable::ratio).orElse("-"), "≥ " + target + "×", verdict(measured, valid,
                m -> m >= target ? "met" : String.format(Locale.ROOT, "**missed** (%.0f%% short)", 100 * (1 - m / target))));
    }

    private void atMost(String what, Optional<Double> figure, double target, boolean valid) {
        Optional<Double> measured = figure.filter(Double::isFinite);
        table.row(what, measured.map(MarkdownTable::ratio).orElse("-"), "≤ " + target + "×", verdict(measured, valid,
                m -> m <= target ? "met" : String.format(Locale.ROOT, "**missed** (%.0f%% over)", 100 * (m / target - 1))));
    }

    private static String verdict(Optional<Double> measured, boolean valid, Function<Double, String> judge) {
        if (!valid) {
            return "**not valid**: a run behind it failed";
        }
        return measured.map(judge).orElse("not measured in this run");
    }
}
