package io.embedserve.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Every timed run of bench/http.sh, and the per-round figures the report and the targets are made
 * of. A comparison between two servers is always the median of per-round ratios: each ratio sets
 * two runs taken minutes apart at most side by side, and the median resists a round the machine spoiled.
 */
final class HttpResults {

    /** One wrk run: a server under one workload at one connection count, in one round. */
    record Run(int round, String server, String workload, int connections, WrkResult result) {}

    /** One in-process LangChain4j measurement, in texts per second. */
    record InProcess(int round, String workload, String mode, double textsPerSecond) {}

    static final String PEER = "HTTP peer";
    static final String EMBED_ALL = "embedAll (chunks of " + LangChain4jInProcess.CHUNK + ")";
    static final String SEQUENTIAL = "sequential embed()";

    private final List<Run> runs = new ArrayList<>();
    private final List<InProcess> inProcess = new ArrayList<>();
    private final int rounds;

    static String service(String dtype) {
        return "EmbedServe " + dtype;
    }

    HttpResults(int rounds) {
        this.rounds = rounds;
    }

    void add(Run run) {
        runs.add(run);
    }

    void add(InProcess measurement) {
        inProcess.add(measurement);
    }

    int rounds() {
        return rounds;
    }

    List<Run> failedRuns() {
        return runs.stream().filter(r -> r.result().failed()).toList();
    }

    /** The runs of one server, workload and connection count, in round order. */
    List<WrkResult> results(String server, String workload, int connections) {
        return runs.stream().filter(r -> r.server().equals(server) && r.workload().equals(workload)
                && r.connections() == connections).map(Run::result).toList();
    }

    /** Requests/s per round for ratios; NaN for a failed run, so that no ratio is taken from it. */
    List<Double> rates(String server, String workload, int connections) {
        return results(server, workload, connections).stream()
                .map(run -> run.failed() ? Double.NaN : run.requestsPerSecond()).toList();
    }

    List<Double> inProcessRates(String workload, String mode) {
        return inProcess.stream().filter(m -> m.workload().equals(workload) && m.mode().equals(mode))
                .map(InProcess::textsPerSecond).toList();
    }

    /** Median over the rounds of one figure of one server's runs; empty when no run had a value for it. */
    Optional<Double> median(String server, String workload, int connections, ToDoubleFunction<WrkResult> figure) {
        List<Double> values = results(server, workload, connections).stream().map(figure::applyAsDouble)
                .filter(Double::isFinite).toList();
        return values.isEmpty() ? Optional.empty() : Optional.of(GemmBenchmark.median(values));
    }

    /** The median of {@code numerator[i] / denominator[i]} over the rounds both have, leaving out NaN and ratios to zero. */
    static Optional<Double> medianRatio(List<Double> numerator, List<Double> denominator) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(numerator.size(), denominator.size()); i++) {
            double ratio = numerator.get(i) / denominator.get(i);
            if (Double.isFinite(ratio)) {
                ratios.add(ratio);
            }
        }
        return ratios.isEmpty() ? Optional.empty() : Optional.of(GemmBenchmark.median(ratios));
    }
}
