package io.embedserve.inference.batch;

import java.util.List;

/** Lets benchmarks plan batches exactly as the inference worker does. */
public final class BatchPlans {

    private BatchPlans() {}

    public static List<Integer> next(int[] lengths, int maxBatchTokens, int maxBatchRequests) {
        return BatchPlanner.next(lengths, maxBatchTokens, maxBatchRequests);
    }
}
