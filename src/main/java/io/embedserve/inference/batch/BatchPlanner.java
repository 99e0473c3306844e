package io.embedserve.inference.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Chooses the next batch from the waiting inputs. The oldest input always goes in (so nothing
 * starves); the rest are taken nearest in length to it first, while the padded size — longest
 * length × count, as TEI counts it for padded models — stays within the token budget, the count
 * within the request cap, and the work padding adds stays at most {@link #MAX_PADDING_SHARE} of
 * the batch's work.
 *
 * <p>The encoder runs its dense layers on real tokens only (encoder.py packs them), so padding
 * costs attention alone: a batch of B inputs padded to T tokens computes B·T² query-key pairs
 * where the inputs alone would compute Σ tᵢ². The work of a batch is counted in tokens as
 * Σ tᵢ + B·T² / {@link #PAIRS_PER_TOKEN}.
 */
final class BatchPlanner {

    /**
     * Without a bound on padding a batch of 60 short inputs took in the one long input waiting
     * beside them and computed everything at its length (docs/PERFORMANCE.md, engine v1).
     */
    static final double MAX_PADDING_SHARE = 0.25;

    /**
     * How many padded query-key pairs of attention cost as much as one token through the dense
     * layers. In FLOPs that is 6 × hidden size (24·H² against 4·H per pair); measured with
     * all-MiniLM-L6-v2 on this repo's retrieval corpus, attention runs at about a third of the dense
     * layers' FLOP rate, so ≈ 1.7 × H: 650 at H = 384, 1,300 at H = 768. One constant between the
     * two keeps the planner model-independent; the batches it forms change little across that range
     * (docs/PERFORMANCE.md, "Batching with unpadded dense layers").
     */
    static final double PAIRS_PER_TOKEN = 1024;

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
        Work work = new Work(0, 0, 0, 0);
        for (int index : byCloseness) {
            if (chosen.size() == maxBatchRequests) {
                break;
            }
            Work grown = work.with(lengths[index]);
            if (!chosen.isEmpty() && (grown.paddedTokens() > maxBatchTokens || grown.tooPadded())) {
                continue; // a closer-sized input further down the list may still fit
            }
            chosen.add(index);
            work = grown;
        }
        return chosen;
    }

    /** A batch's inputs summed up: count, longest, Σ tᵢ and Σ tᵢ². */
    private record Work(int count, int longest, long tokens, double squares) {

        Work with(int length) {
            return new Work(count + 1, Math.max(longest, length), tokens + length, squares + (double) length * length);
        }

        long paddedTokens() {
            return (long) longest * count;
        }

        boolean tooPadded() {
            double pairs = (double) count * longest * longest;
            double wasted = (pairs - squares) / PAIRS_PER_TOKEN;
            return wasted > MAX_PADDING_SHARE * (tokens + pairs / PAIRS_PER_TOKEN);
        }
    }
}
