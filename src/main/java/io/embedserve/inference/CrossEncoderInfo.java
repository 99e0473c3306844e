package io.embedserve.inference;

import io.embedserve.inference.encode.DenseCheck;
import java.util.List;

/**
 * What {@code GET /info} reports about the loaded cross-encoder.
 *
 * @param modelId the repository id, or the directory name for a plain directory
 * @param revision the snapshot commit (or "local")
 * @param modelType bert, roberta or xlm-roberta
 * @param architecture the sequence classifier config.json names
 * @param dtype the compute dtype (DTYPE)
 * @param labels the label names by id (id2label); one label makes it a reranker
 * @param maxInputLength tokens per pair, after which it is truncated or refused
 * @param denseChecks how each dense-layer shape was proven at load
 */
public record CrossEncoderInfo(
        String modelId,
        String revision,
        String modelType,
        String architecture,
        String dtype,
        List<String> labels,
        int maxInputLength,
        List<DenseCheck> denseChecks) {

    public CrossEncoderInfo {
        labels = List.copyOf(labels);
        denseChecks = List.copyOf(denseChecks);
    }

    /** One label: TEI serves it as a reranker; more: as a classifier. */
    public boolean reranker() {
        return labels.size() == 1;
    }
}
