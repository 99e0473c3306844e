package io.embedserve.bench;

import java.util.Arrays;

/** Durations in nanoseconds, with the summary statistics the reports print. */
final class Samples {

    private long[] nanos = new long[64];
    private int count;

    void add(long duration) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = duration;
    }

    void forEach(java.util.function.LongConsumer action) {
        for (int i = 0; i < count; i++) {
            action.accept(nanos[i]);
        }
    }

    int count() {
        return count;
    }

    long totalNanos() {
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += nanos[i];
        }
        return total;
    }

    double meanMillis() {
        return count == 0 ? Double.NaN : totalNanos() / 1e6 / count;
    }

    /** Nearest-rank percentile, {@code p} in (0, 100]. */
    double percentileMillis(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * count);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    double minMillis() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            min = Math.min(min, nanos[i]);
        }
        return count == 0 ? Double.NaN : min / 1e6;
    }
}
