package io.embedserve.inference.pool;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.embedserve.model.PoolingMode;

/**
 * sentence-transformers' Pooling module on NDArrays. Every function takes the last hidden state
 * (B, T, H) and the attention mask (B, T) as float 1/0, and returns (B, H); padding never
 * contributes.
 */
public final class Pooling {

    /** sentence-transformers' value for masked positions before max pooling. */
    private static final float MAX_POOL_FILL = -1e9f;

    private Pooling() {}

    public static NDArray pool(PoolingMode mode, NDArray hidden, NDArray mask) {
        return switch (mode) {
            case MEAN -> mean(hidden, mask);
            case CLS -> cls(hidden);
            case MAX -> max(hidden, mask);
            case LAST_TOKEN -> lastToken(hidden, mask);
        };
    }

    /** Σ hidden·mask / max(Σ mask, 1e-9), as sentence-transformers computes it. */
    public static NDArray mean(NDArray hidden, NDArray mask) {
        NDArray weights = mask.expandDims(2); // (B, T, 1)
        NDArray sum = hidden.mul(weights).sum(new int[] {1}); // (B, H)
        NDArray count = mask.sum(new int[] {1}, true).maximum(1e-9f); // (B, 1)
        return sum.div(count);
    }

    /** The first token's vector (CLS for BERT, {@code <s>} for RoBERTa/XLM-R). */
    public static NDArray cls(NDArray hidden) {
        return hidden.get(":, 0, :"); // (B, H)
    }

    /** Per-dimension maximum over real tokens. */
    public static NDArray max(NDArray hidden, NDArray mask) {
        NDArray weights = mask.expandDims(2); // (B, T, 1)
        NDArray fill = weights.sub(1f).mul(-MAX_POOL_FILL); // 0 for real, -1e9 for padding
        return hidden.mul(weights).add(fill).max(new int[] {1}); // (B, H)
    }

    /** The last real token's vector; sequences are right-padded. */
    public static NDArray lastToken(NDArray hidden, NDArray mask) {
        long batch = mask.getShape().get(0);
        NDArray following = NDArrays.concat(
                new NDList(mask.get(":, 1:"), mask.getManager().zeros(new ai.djl.ndarray.types.Shape(batch, 1))), 1);
        NDArray isLast = mask.mul(following.neg().add(1f)); // (B, T): 1 only at the last real token
        return hidden.mul(isLast.expandDims(2)).sum(new int[] {1}); // (B, H)
    }
}
