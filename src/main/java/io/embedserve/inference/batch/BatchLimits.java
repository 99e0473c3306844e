package io.embedserve.inference.batch;

/**
 * @param maxBatchTokens padded tokens (longest × count) one forward pass may hold
 * @param maxBatchRequests inputs one forward pass may hold
 */
public record BatchLimits(int maxBatchTokens, int maxBatchRequests) {

    public BatchLimits {
        if (maxBatchTokens < 1 || maxBatchRequests < 1) {
            throw new IllegalArgumentException("batch limits must be positive: " + this);
        }
    }
}
