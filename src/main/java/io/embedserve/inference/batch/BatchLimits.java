package io.embedserve.inference.batch;

/**
 * @param maxBatchTokens padded tokens (longest × count) one forward pass may hold
 * @param maxBatchRequests inputs one forward pass may hold
 * @param maxConcurrentInputs inputs admitted at once (queued or running); beyond it: 429
 */
public record BatchLimits(int maxBatchTokens, int maxBatchRequests, int maxConcurrentInputs) {

    public BatchLimits {
        if (maxBatchTokens < 1 || maxBatchRequests < 1 || maxConcurrentInputs < 1) {
            throw new IllegalArgumentException("batch limits must be positive: " + this);
        }
    }
}
