package io.embedserve.bench;

import static io.embedserve.bench.MarkdownTable.number;
import static io.embedserve.bench.MarkdownTable.ratio;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether the service is warm when it says it is ready: a fresh process, load from the moment
 * {@code /health} first answers 200, requests/s per window over the first minute, then more load
 * to settle, then the steady-state rate. Every window is a wrk run of its own, back to back (a new
 * wrk process and new connections each time, a few milliseconds apart). wrk drops the requests in
 * flight when a run ends, so each window loses up to one latency of work; the steady state is
 * measured in windows of the same length so that both sides of the ratio lose alike.
 */
final class FirstMinute {

    /**
     * How the measurement is cut: {@code windows} windows of {@code windowSeconds} after readiness,
     * {@code settleSeconds} of unmeasured load, then {@code steadySeconds} measured in windows of the same length.
     */
    record Plan(int connections, int windowSeconds, int windows, int settleSeconds, int steadySeconds) {

        int steadyWindows() {
            return Math.max(1, steadySeconds / windowSeconds);
        }
    }

    /** What was measured on one service. */
    record Result(String server, double readySeconds, List<WrkResult> first, List<WrkResult> steady) {

        double firstRate() {
            return rate(first);
        }

        double steadyRate() {
            return rate(steady);
        }

        double ratio() {
            return firstRate() / steadyRate();
        }

        double worstWindowRatio() {
            return first.stream().mapToDouble(WrkResult::requestsPerSecond).min().orElse(Double.NaN) / steadyRate();
        }

        boolean failed() {
            return first.stream().anyMatch(WrkResult::failed) || steady.stream().anyMatch(WrkResult::failed);
        }

        /** Answers per second over the windows together. */
        private static double rate(List<WrkResult> windows) {
            double answers = windows.stream().mapToDouble(w -> w.requestsPerSecond() * w.seconds()).sum();
            return answers / windows.stream().mapToDouble(WrkResult::seconds).sum();
        }
    }

    private final Wrk wrk;
    private final Plan plan;

    FirstMinute(Wrk wrk, Plan plan) {
        this.wrk = wrk;
        this.plan = plan;
    }

    /** Measures a service that was just started; the caller stops it. */
    Result measure(String server, ServerProcess fresh, Path bodies) throws InterruptedException {
        // Polled often: a late first poll would give the service warm-up time the user never sees.
        double ready = fresh.awaitHealthy(Duration.ofMinutes(10), 20);
        URI url = fresh.url();
        List<WrkResult> first = windows(url, bodies, plan.windows());
        if (plan.settleSeconds() > 0) {
            wrk.run(url, bodies, plan.connections(), plan.settleSeconds());
        }
        return new Result(server, ready, first, windows(url, bodies, plan.steadyWindows()));
    }

    private List<WrkResult> windows(URI url, Path bodies, int count) {
        List<WrkResult> windows = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            windows.add(wrk.run(url, bodies, plan.connections(), plan.windowSeconds()));
        }
        return windows;
    }

    void print(Result result, String workload, PrintStream out) {
        int firstEnd = plan.windows() * plan.windowSeconds();
        int steadyStart = firstEnd + plan.settleSeconds();
        out.printf("### %s: the first %d s after readiness against steady state (%s, %d connections)%n%n",
                result.server(), firstEnd, workload, plan.connections());
        out.printf(Locale.ROOT, "process start to /health 200: %.1f s; unmeasured load from %d to %d s%n%n",
                result.readySeconds(), firstEnd, steadyStart);
        MarkdownTable table = new MarkdownTable("<seconds after readiness", "req/s", "p50 ms", "p95 ms", "p99 ms", "<problem");
        for (int w = 0; w < result.first().size(); w++) {
            row(table, w * plan.windowSeconds(), result.first().get(w));
        }
        for (int w = 0; w < result.steady().size(); w++) {
            row(table, steadyStart + w * plan.windowSeconds(), result.steady().get(w));
        }
        table.print(out);
        out.printf(Locale.ROOT, "first %d s: %s req/s; steady state (from %d s): %s req/s; first / steady: %s"
                        + " (slowest first window: %s)%s%n%n", firstEnd, number(result.firstRate()), steadyStart,
                number(result.steadyRate()), ratio(result.ratio()), ratio(result.worstWindowRatio()),
                result.failed() ? " — **some windows FAILED: not a valid result**" : "");
    }

    private void row(MarkdownTable table, int from, WrkResult run) {
        table.row(from + "–" + (from + plan.windowSeconds()), number(run.requestsPerSecond()), number(run.p50Millis()),
                number(run.p95Millis()), number(run.p99Millis()), run.failed() ? "**FAILED: " + run.problem() + "**" : "none");
    }
}
