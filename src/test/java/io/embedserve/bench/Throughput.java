package io.embedserve.bench;

import java.util.List;
import java.util.Locale;

/**
 * Runs an engine over a workload: a timed warm-up, then whole passes over the corpus until the
 * measuring time is used up (at least one pass), so that every sentence counts equally. With an
 * idle time, the calling thread sleeps that long after every batch, as a service's worker waits for
 * its next request at one connection; the sleeps are left out of every rate, so the figures compare
 * with a run without them.
 */
final class Throughput {

    /** What one engine did on one workload. */
    record Measurement(String engine, Workload workload, int passes, long wallNanos, Samples batches,
            double flopsPerPass) {

        double seconds() {
            return wallNanos / 1e9;
        }

        double sentencesPerSecond() {
            return passes * (double) workload.sentences() / seconds();
        }

        double realTokensPerSecond() {
            return passes * (double) workload.realTokens() / seconds();
        }

        double paddedTokensPerSecond() {
            return passes * (double) workload.paddedTokens() / seconds();
        }

        /** Matrix-product FLOP/s actually achieved; NaN when the engine does not run the padded batches. */
        double flopsPerSecond() {
            return passes * flopsPerPass / seconds();
        }

        String row(String model) {
            boolean padded = !Double.isNaN(flopsPerPass);
            return String.format(Locale.ROOT, "| %-13s | %-6s | %-12s | %3d | %8.1f | %8.0f | %8s | %8.2f | %8.2f | %8.2f | %7s | %6d |",
                    engine, model, workload.corpus().label(), workload.batchSize(), sentencesPerSecond(),
                    realTokensPerSecond(), padded ? String.format(Locale.ROOT, "%.0f", paddedTokensPerSecond()) : "-",
                    batches.meanMillis(), batches.percentileMillis(50), batches.percentileMillis(95),
                    padded ? String.format(Locale.ROOT, "%.1f", flopsPerSecond() / 1e9) : "-", passes);
        }

        /** Markdown, so that a report pastes into docs/PERFORMANCE.md as it is. */
        static List<String> header() {
            return List.of(
                    "| engine        | model  | corpus       |   B |   sent/s | real tok/s | padded tok/s | batch ms mean | batch ms p50 | batch ms p95 | GFLOP/s | passes |",
                    "|---------------|--------|--------------|----:|---------:|---------:|---------:|---------:|---------:|---------:|--------:|-------:|");
        }
    }

    private Throughput() {}

    static Measurement measure(BatchEngine engine, Workload workload, double flopsPerPass,
            double warmupSeconds, double seconds, double idleMillis) {
        List<Workload.Batch> batches = workload.batches();
        float observed = 0;
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0; warmupSeconds > 0 && (i == 0 || System.nanoTime() < warmupEnd); i++) {
            observed += engine.run(batches.get(i % batches.size()));
        }
        Samples samples = new Samples();
        int passes = 0;
        long idle = 0;
        long started = System.nanoTime();
        long end = started + (long) (seconds * 1e9);
        do {
            for (Workload.Batch batch : batches) {
                long t0 = System.nanoTime();
                observed += engine.run(batch);
                long t1 = System.nanoTime();
                samples.add(t1 - t0);
                if (idleMillis > 0) {
                    sleep(idleMillis);
                    idle += System.nanoTime() - t1;
                }
            }
            passes++;
        } while (System.nanoTime() < end + idle);
        long wall = System.nanoTime() - started - idle;
        if (Float.isNaN(observed)) {
            System.err.println(engine.name() + " produced NaN on " + workload.corpus().label());
        }
        return new Measurement(engine.name(), workload, passes, wall, samples,
                engine.runsPaddedBatches() ? flopsPerPass : Double.NaN);
    }

    private static void sleep(double millis) {
        try {
            Thread.sleep((long) millis, (int) ((millis % 1) * 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while idle between batches", e);
        }
    }
}
