package io.embedserve.inference.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Chooses the next batch from the waiting inputs. The oldest input always goes in (so nothing
 * starves); the rest are taken nearest in length to it first, while the padded cost — longest
 * length × count, as TEI counts it for padded models — stays within the token budget, the count
 * within the request cap, and padding at most {@link #MAX_PADDING_SHARE} of the computed tokens.
 */
final class BatchPlanner {

    /**
     * Without a bound a batch of 60 short inputs took in the one long input waiting beside them
     * and computed everything at its length: with a mixed corpus at 64 concurrent clients the
     * service fell to 12 requests/s (all-MiniLM) and 2.7 requests/s (XLM-R base shape), 80% of
     * the work being padding. A tenth rather than a quarter: on the batches a 32-client queue forms,
     * one thread computed 1.15x (all-MiniLM) and 1.30x (XLM-R base shape) as many texts with the
     * smaller batches it gives (5-6 inputs against 10-12) as with a quarter (docs/PERFORMANCE.md).
     */
    static final double MAX_PADDING_SHARE = 0.10;

    private BatchPlanner() {}

    /**
     * @param lengths token counts of the waiting inputs, oldest first
     * @return indices into {@code lengths} of the inputs to run now, never empty if lengths is not
     */
    static List<Integer> next(int[] lengths, int maxBatchTokens, int maxBatchRequests) {
        return next(lengths, maxBatchTokens, maxBatchRequests, MAX_PADDING_SHARE);
    }

    /** As {@link #next(int[], int, int)} with another padding bound (1 for none: benchmarks). */
    static List<Integer> next(int[] lengths, int maxBatchTokens, int maxBatchRequests, double maxPaddingShare) {
        if (lengths.length == 0) {
            return List.of();
        }
        int anchor = lengths[0];
        List<Integer> byCloseness = IntStream.range(0, lengths.length).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> Math.abs(lengths[i] - anchor)).thenComparingInt(i -> i))
                .toList();
        List<Integer> chosen = new ArrayList<>();
        int longest = 0;
        long realTokens = 0;
        for (int index : byCloseness) {
            if (chosen.size() == maxBatchRequests) {
                break;
            }
            int newLongest = Math.max(longest, lengths[index]);
            long padded = (long) newLongest * (chosen.size() + 1);
            boolean tooPadded = padded - (realTokens + lengths[index]) > maxPaddingShare * padded;
            if (!chosen.isEmpty() && (padded > maxBatchTokens || tooPadded)) {
                continue; // a closer-sized input further down the list may still fit
            }
            chosen.add(index);
            longest = newLongest;
            realTokens += lengths[index];
        }
        return chosen;
    }
}
