package io.embedserve.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Ratios between servers are medians of per-round ratios, and a failed run contributes none. */
class HttpResultsTest {

    @Test
    void theRatioIsTheMedianOfPerRoundRatiosNotTheRatioOfMedians() {
        HttpResults results = new HttpResults(3);
        addRounds(results, "a", 100, 300, 200);
        addRounds(results, "b", 100, 100, 400);

        double ratio = HttpResults.medianRatio(results.rates("a", "w", 32), results.rates("b", "w", 32)).orElseThrow();

        assertThat(ratio).isEqualTo(1.0); // per round 1.0, 3.0, 0.5; the medians' ratio would be 2.0
    }

    @Test
    void overTwoRoundsTheRatioIsTheMeanOfBothNotTheBetterOne() {
        HttpResults results = new HttpResults(2);
        addRounds(results, "a", 60, 90);
        addRounds(results, "b", 100, 100);

        assertThat(HttpResults.medianRatio(results.rates("a", "w", 32), results.rates("b", "w", 32))).contains(0.75);
        assertThat(results.median("a", "w", 32, WrkResult::requestsPerSecond)).contains(75.0);
    }

    @Test
    void aFailedRunLeavesItsRoundOutOfEveryRatio() {
        HttpResults results = new HttpResults(3);
        addRounds(results, "a", 100, 100, 100);
        results.add(new HttpResults.Run(1, "b", "w", 32, run(50, 0)));
        results.add(new HttpResults.Run(2, "b", "w", 32, run(200, 3)));
        results.add(new HttpResults.Run(3, "b", "w", 32, run(50, 0)));

        assertThat(results.failedRuns()).hasSize(1);
        assertThat(HttpResults.medianRatio(results.rates("a", "w", 32), results.rates("b", "w", 32))).contains(2.0);
    }

    @Test
    void noRatioWithoutAValidPair() {
        assertThat(HttpResults.medianRatio(List.of(Double.NaN), List.of(10.0))).isEmpty();
        assertThat(HttpResults.medianRatio(List.of(10.0), List.of(0.0))).isEmpty();
    }

    private static void addRounds(HttpResults results, String server, double... rates) {
        for (int round = 0; round < rates.length; round++) {
            results.add(new HttpResults.Run(round + 1, server, "w", 32, run(rates[round], 0)));
        }
    }

    /** A 10-second run at 32 connections with the given rate and status errors. */
    private static WrkResult run(double requestsPerSecond, long statusErrors) {
        return new WrkResult(32, (long) (requestsPerSecond * 10) + statusErrors, 10, statusErrors, 0, 5, 8, 9, 10);
    }
}
