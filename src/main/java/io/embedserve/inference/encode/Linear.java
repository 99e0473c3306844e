package io.embedserve.inference.encode;

import ai.djl.ndarray.NDArray;

/** A dense layer as transformers' nn.Linear stores it: weight (out, in), bias (out). */
record Linear(NDArray weight, NDArray bias) {

    static Linear load(WeightLoader loader, String prefix, long in, long out) {
        return new Linear(loader.load(prefix + ".weight", out, in), loader.load(prefix + ".bias", out));
    }

    /** (..., in) → (..., out) */
    NDArray apply(NDArray input) {
        return ai.djl.nn.core.Linear.linear(input, weight, bias).singletonOrThrow();
    }
}
