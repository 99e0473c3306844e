package io.embedserve.inference.batch;

import java.util.List;

/** Lets benchmarks plan batches exactly as the inference worker does. */
public final class BatchPlans {

    private BatchPlans() {}

    public static List<Integer> next(int[] lengths, int maxBatchTokens, int maxBatchRequests) {
        return BatchPlanner.next(lengths, maxBatchTokens, maxBatchRequests);
    }

    /** The worker's planner bounded by the token budget and request cap only, padding unbounded. */
    public static List<Integer> withoutPaddingBound(int[] lengths, int maxBatchTokens, int maxBatchRequests) {
        return withPaddingBound(lengths, maxBatchTokens, maxBatchRequests, 1.0);
    }

    /** The worker's planner with another bound on padding's share of the computed tokens. */
    public static List<Integer> withPaddingBound(int[] lengths, int maxBatchTokens, int maxBatchRequests,
            double maxPaddingShare) {
        return BatchPlanner.next(lengths, maxBatchTokens, maxBatchRequests, maxPaddingShare);
    }

    /** The bound the worker's planner uses. */
    public static double paddingBound() {
        return BatchPlanner.MAX_PADDING_SHARE;
    }
}
