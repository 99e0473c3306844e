package io.embedserve.inference.encode;

import ai.djl.ndarray.NDArray;
import io.embedserve.model.EncoderConfig;
import java.util.function.UnaryOperator;

/** transformers' BertIntermediate + BertOutput: dense, activation, dense, residual, LayerNorm. */
final class FeedForward {

    private final Linear intermediate;
    private final UnaryOperator<NDArray> activation;
    private final Linear output;
    private final LayerNorm layerNorm;

    private FeedForward(Linear intermediate, UnaryOperator<NDArray> activation, Linear output, LayerNorm layerNorm) {
        this.intermediate = intermediate;
        this.activation = activation;
        this.output = output;
        this.layerNorm = layerNorm;
    }

    /** @param prefix the layer's prefix, e.g. {@code encoder.layer.3} */
    static FeedForward load(WeightLoader loader, String prefix, EncoderConfig config) {
        long hidden = config.hiddenSize();
        long inner = config.intermediateSize();
        return new FeedForward(
                Linear.load(loader, prefix + ".intermediate.dense", hidden, inner),
                ActivationFunction.forName(config.hiddenAct()),
                Linear.load(loader, prefix + ".output.dense", inner, hidden),
                LayerNorm.load(loader, prefix + ".output.LayerNorm", hidden, config.layerNormEps()));
    }

    /** (B, T, H) → (B, T, H) */
    NDArray forward(NDArray hidden) {
        NDArray expanded = activation.apply(intermediate.apply(hidden)); // (B, T, I)
        return layerNorm.apply(output.apply(expanded).add(hidden));
    }
}
