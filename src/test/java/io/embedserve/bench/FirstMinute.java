package io.embedserve.bench;

import static io.embedserve.bench.MarkdownTable.number;
import static io.embedserve.bench.MarkdownTable.ratio;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the service is warm when it says it is ready: a fresh process, load from the moment
 * {@code /health} first answers 200, requests/s per window over the first minute, then more load
 * to settle, then the steady-state rate. The windows are back-to-back wrk runs (a new wrk process
 * and new connections every window; the gap between two is a few milliseconds).
 */
final class FirstMinute {

    /** How the measurement is cut: windows × window seconds after readiness, settle seconds, steady seconds. */
    record Plan(int connections, int windowSeconds, int windows, int settleSeconds, int steadySeconds) {}

    /** What was measured on one service; {@code settle} is null when the plan has no settling time. */
    record Result(String server, double readySeconds, List<WrkResult> windows, WrkResult settle, WrkResult steady) {

        /** Answers per second over all the windows together. */
        double firstRate() {
            double answers = windows.stream().mapToDouble(w -> w.requestsPerSecond() * w.seconds()).sum();
            return answers / windows.stream().mapToDouble(WrkResult::seconds).sum();
        }

        double ratio() {
            return firstRate() / steady.requestsPerSecond();
        }

        double worstWindowRatio() {
            return windows.stream().mapToDouble(WrkResult::requestsPerSecond).min().orElse(Double.NaN)
                    / steady.requestsPerSecond();
        }

        boolean failed() {
            return steady.failed() || (settle != null && settle.failed()) || windows.stream().anyMatch(WrkResult::failed);
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
        List<WrkResult> windows = new ArrayList<>();
        for (int w = 0; w < plan.windows(); w++) {
            windows.add(wrk.run(url, bodies, plan.connections(), plan.windowSeconds()));
        }
        WrkResult settle = plan.settleSeconds() > 0 ? wrk.run(url, bodies, plan.connections(), plan.settleSeconds()) : null;
        WrkResult steady = wrk.run(url, bodies, plan.connections(), plan.steadySeconds());
        return new Result(server, ready, windows, settle, steady);
    }

    void print(Result result, String workload, PrintStream out) {
        out.printf("### %s: the first %d s after readiness against steady state (%s, %d connections)%n%n",
                result.server(), plan.windows() * plan.windowSeconds(), workload, plan.connections());
        out.printf(java.util.Locale.ROOT, "process start to /health 200: %.1f s%n%n", result.readySeconds());
        MarkdownTable table = new MarkdownTable("<load", "req/s", "p50 ms", "p95 ms", "p99 ms", "<problem");
        for (int w = 0; w < result.windows().size(); w++) {
            row(table, String.format("%d–%d s", w * plan.windowSeconds(), (w + 1) * plan.windowSeconds()),
                    result.windows().get(w));
        }
        int firstEnd = plan.windows() * plan.windowSeconds();
        if (result.settle() != null) {
            row(table, "settling, " + firstEnd + "–" + (firstEnd + plan.settleSeconds()) + " s", result.settle());
        }
        row(table, "steady state, " + (firstEnd + plan.settleSeconds()) + "–"
                + (firstEnd + plan.settleSeconds() + plan.steadySeconds()) + " s", result.steady());
        table.print(out);
        out.printf("first %d s / steady state: %s (slowest window: %s)%s%n%n", firstEnd, ratio(result.ratio()),
                ratio(result.worstWindowRatio()), result.failed() ? " — **some answers FAILED: not a valid result**" : "");
    }

    private static void row(MarkdownTable table, String label, WrkResult run) {
        table.row(label, number(run.requestsPerSecond()), number(run.p50Millis()), number(run.p95Millis()),
                number(run.p99Millis()), run.failed() ? "**FAILED: " + run.problem() + "**" : "0");
    }
}
