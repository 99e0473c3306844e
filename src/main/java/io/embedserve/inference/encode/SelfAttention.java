package io.embedserve.inference.encode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.embedserve.model.EncoderConfig;

/**
 * transformers' BertAttention: self-attention (query, key, value) followed by the output dense
 * layer, residual and LayerNorm. Query, key and value are fused into one (3H, H) projection at load
 * time so that each layer runs one large matrix product instead of three.
 */
final class SelfAttention {

    private final Linear queryKeyValue;
    private final Linear output;
    private final LayerNorm layerNorm;
    private final int heads;
    private final int headSize;
    private final float scale;

    private SelfAttention(Linear queryKeyValue, Linear output, LayerNorm layerNorm, int heads, int headSize) {
        this.queryKeyValue = queryKeyValue;
        this.output = output;
        this.layerNorm = layerNorm;
        this.heads = heads;
        this.headSize = headSize;
        this.scale = (float) (1.0 / Math.sqrt(headSize));
    }

    static SelfAttention load(WeightLoader loader, String prefix, EncoderConfig config) {
        long hidden = config.hiddenSize();
        Linear query = Linear.load(loader, prefix + ".self.query", hidden, hidden);
        Linear key = Linear.load(loader, prefix + ".self.key", hidden, hidden);
        Linear value = Linear.load(loader, prefix + ".self.value", hidden, hidden);
        Linear fused = new Linear(
                NDArrays.concat(new NDList(query.weight(), key.weight(), value.weight()), 0), // (3H, H)
                NDArrays.concat(new NDList(query.bias(), key.bias(), value.bias()), 0)); // (3H)
        // The fused copy is what runs; drop the separate tensors (and with them their mappings).
        new NDList(query.weight(), query.bias(), key.weight(), key.bias(), value.weight(), value.bias()).close();
        return new SelfAttention(
                fused,
                Linear.load(loader, prefix + ".output.dense", hidden, hidden),
                LayerNorm.load(loader, prefix + ".output.LayerNorm", hidden, config.layerNormEps()),
                config.numAttentionHeads(),
                config.headSize());
    }

    /**
     * @param hidden (B, T, H)
     * @param additiveMask (B, 1, 1, T): 0 for real tokens, a large negative number for padding
     * @return (B, T, H)
     */
    NDArray forward(NDArray hidden, NDArray additiveMask) {
        long batch = hidden.getShape().get(0);
        long length = hidden.getShape().get(1);
        NDArray qkv = queryKeyValue.apply(hidden) // (B, T, 3H)
                .reshape(batch, length, 3, heads, headSize) // (B, T, 3, nH, D)
                .transpose(2, 0, 3, 1, 4); // (3, B, nH, T, D)
        NDArray query = qkv.get(0).mul(scale); // (B, nH, T, D)
        NDArray key = qkv.get(1); // (B, nH, T, D)
        NDArray value = qkv.get(2); // (B, nH, T, D)
        NDArray scores = query.matMul(key.transpose(0, 1, 3, 2)).add(additiveMask); // (B, nH, T, T)
        NDArray context = scores.softmax(-1).matMul(value) // (B, nH, T, D)
                .transpose(0, 2, 1, 3) // (B, T, nH, D)
                .reshape(batch, length, (long) heads * headSize); // (B, T, H)
        return layerNorm.apply(output.apply(context).add(hidden));
    }
}
