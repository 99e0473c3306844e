package io.embedserve.inference.encode;

import ai.djl.ndarray.NDArray;
import io.embedserve.model.EncoderConfig;

/** transformers' BertLayer: post-LN self-attention block, then post-LN feed-forward block. */
record EncoderLayer(SelfAttention attention, FeedForward feedForward) {

    static EncoderLayer load(WeightLoader loader, int index, EncoderConfig config) {
        String prefix = "encoder.layer." + index;
        return new EncoderLayer(
                SelfAttention.load(loader, prefix + ".attention", config),
                FeedForward.load(loader, prefix, config));
    }

    /** (B, T, H) → (B, T, H) */
    NDArray forward(NDArray hidden, NDArray additiveMask) {
        return feedForward.forward(attention.forward(hidden, additiveMask));
    }
}
