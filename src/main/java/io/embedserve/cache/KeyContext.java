package io.embedserve.cache;

import java.util.Objects;

/**
 * The part of a cache key that comes from the loaded model rather than the input.
 *
 * @param modelId the model's repository id (or directory name)
 * @param revision a 40-hex snapshot commit, or "sha256:…" of the model files for MODEL_PATH
 * @param pooling the pooling wire name: mean, cls, max or lasttoken
 * @param dtype the DTYPE the vectors were computed in: float32, bfloat16 or int8
 * @param dimensions the length of the model's vectors: not part of the key, but a stored vector
 *     of another length cannot be this model's and is treated as a miss
 */
record KeyContext(String modelId, String revision, String pooling, String dtype, int dimensions) {

    KeyContext {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(dtype, "dtype");
    }
}
