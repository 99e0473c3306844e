package io.embedserve.inference.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Chooses the next batch from the waiting inputs. The oldest input always goes in (so nothing
 * starves); the rest are taken nearest in length to it first, so that padding stays small, while
 * the padded cost — longest length × count, as TEI counts it for padded models — stays within the
 * token budget and the count within the request cap.
 */
final class BatchPlanner {

    private BatchPlanner() {}

    /**
     * @param lengths token counts of the waiting inputs, oldest first
     * @return indices into {@code lengths} of the inputs to run now, never empty if lengths is not
     */
    static List<Integer> next(int[] lengths, int maxBatchTokens, int maxBatchRequests) {
        if (lengths.length == 0) {
            return List.of();
        }
        int anchor = lengths[0];
        List<Integer> byCloseness = IntStream.range(0, lengths.length).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> Math.abs(lengths[i] - anchor)).thenComparingInt(i -> i))
                .toList();
        List<Integer> chosen = new ArrayList<>();
        int longest = 0;
        for (int index : byCloseness) {
            if (chosen.size() == maxBatchRequests) {
                break;
            }
            int newLongest = Math.max(longest, lengths[index]);
            if (!chosen.isEmpty() && (long) newLongest * (chosen.size() + 1) > maxBatchTokens) {
                continue; // a shorter input further down the list may still fit
            }
            chosen.add(index);
            longest = newLongest;
        }
        return chosen;
    }
}
