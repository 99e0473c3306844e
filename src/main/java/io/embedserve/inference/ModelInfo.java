package io.embedserve.inference;

import io.embedserve.inference.encode.DenseCheck;
import java.util.List;

/**
 * What {@code GET /info} reports about the loaded model.
 *
 * @param modelId the repository id, or the directory name for MODEL_PATH
 * @param servedModelName the name answers give the model (SERVED_MODEL_NAME, else the repository id)
 * @param revision the snapshot commit (or "local" for MODEL_PATH)
 * @param modelType bert, roberta or xlm-roberta
 * @param dtype the compute dtype (DTYPE): float32, bfloat16 or int8
 * @param pooling mean, cls, max or lasttoken
 * @param hiddenSize the embedding dimension
 * @param maxInputLength tokens per input, after which input is truncated or refused
 * @param denseChecks how each dense-layer shape was proven at load, and the path it runs on
 */
public record ModelInfo(
        String modelId,
        String servedModelName,
        String revision,
        String modelType,
        String dtype,
        String pooling,
        int hiddenSize,
        int maxInputLength,
        List<DenseCheck> denseChecks) {

    public ModelInfo {
        denseChecks = List.copyOf(denseChecks);
    }
}
