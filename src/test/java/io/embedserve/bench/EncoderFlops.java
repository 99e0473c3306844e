package io.embedserve.bench;

import io.embedserve.model.EncoderConfig;

/**
 * Matrix-product FLOPs of a BERT-family encoder forward pass; everything else (embedding lookup,
 * LayerNorm, softmax, GELU, pooling) is linear in the activations and left out. Each multiply-add
 * counts 2. Per token and layer, with T the padded length:
 *
 * <pre>
 * 2·H·3H      query, key, value projections
 * 2·H·H       attention output projection
 * 2·2·H·I     feed-forward up and down
 * 2·2·T·H     attention scores Q·Kᵀ and context P·V (over all heads)
 * </pre>
 */
final class EncoderFlops {

    static final String FORMULA = "FLOPs/token = layers × (2·H·3H + 2·H·H + 2·2·H·I + 2·2·T·H), T = padded length;"
            + " embeddings, LayerNorm, softmax, GELU, pooling not counted";

    private EncoderFlops() {}

    static double perToken(EncoderConfig config, int paddedLength) {
        double h = config.hiddenSize();
        double i = config.intermediateSize();
        double perLayer = 2 * h * 3 * h + 2 * h * h + 2 * 2 * h * i + 2 * 2 * (double) paddedLength * h;
        return config.numHiddenLayers() * perLayer;
    }

    static double perBatch(EncoderConfig config, Workload.Batch batch) {
        return batch.paddedTokens() * perToken(config, batch.paddedLength());
    }

    static double perPass(EncoderConfig config, Workload workload) {
        return workload.batches().stream().mapToDouble(b -> perBatch(config, b)).sum();
    }
}
