package io.embedserve.cache;

import java.util.Objects;

/**
 * The part of a cache key that comes from the loaded model rather than the input.
 *
 * @param modelId the model's repository id (or directory name)
 * @param revision a 40-hex snapshot commit, or "sha256:…" of the model files for MODEL_PATH
 * @param pooling the pooling wire name: mean, cls, max or lasttoken
 */
record KeyContext(String modelId, String revision, String pooling) {

    KeyContext {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(pooling, "pooling");
    }
}
