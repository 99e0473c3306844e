package io.embedserve.inference.encode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** LayerNorm over the last (hidden) axis, with transformers' parameter names weight/bias. */
record LayerNorm(NDArray gamma, NDArray beta, float eps, Shape normalizedShape) {

    static LayerNorm load(WeightLoader loader, String prefix, long hidden, double eps) {
        return new LayerNorm(
                loader.load(prefix + ".weight", hidden),
                loader.load(prefix + ".bias", hidden),
                (float) eps,
                new Shape(hidden));
    }

    NDArray apply(NDArray input) {
        return ai.djl.nn.norm.LayerNorm.layerNorm(input, normalizedShape, gamma, beta, eps)
                .singletonOrThrow();
    }
}
