package io.embedserve.inference.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Chooses the next batch from the waiting inputs. The oldest input always goes in (so nothing
 * starves); the rest are taken nearest in length to it first, while the padded size — longest
 * length × count, as TEI counts it for padded models — stays within the token budget and the count
 * within the request cap.
 *
 * <p>Lengths may be mixed freely: the encoder computes no padding in its dense layers and runs
 * attention on groups of similar length (encoder.py), so a batch costs about what its tokens cost.
 * (Engine v1 computed every layer at the longest length, and needed a bound on padding: without it
 * a batch of 60 short inputs took in one long one and was 80% padding; docs/PERFORMANCE.md.) The
 * token budget still bounds the padded (B, T) tensors the encoder builds, so memory per batch.
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
                continue; // a closer-sized input further down the list may still fit
            }
            chosen.add(index);
            longest = newLongest;
        }
        return chosen;
    }
}
