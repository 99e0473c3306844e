package io.embedserve.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.embedserve.config.ServingProperties;
import io.embedserve.inference.CrossEncoderInfo;
import io.embedserve.inference.ModelInfo;
import io.embedserve.inference.encode.DenseCheck;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TEI's GET /info document (its {@code Info}), field for field, for the
 * process's primary model (MODEL_ID: the sentence model, or a cross-encoder served alone), and, as
 * EmbedServe's addition, the reranker served beside the sentence model.
 */
@Schema(name = "TeiInfo")
record TeiInfo(
        @JsonProperty("model_id") String modelId,
        @JsonProperty("model_sha") String modelSha,
        @JsonProperty("model_dtype") String modelDtype,
        @JsonProperty("served_model_name") String servedModelName,
        @JsonProperty("model_type") ModelType modelType,
        @JsonProperty("max_concurrent_requests") int maxConcurrentRequests,
        @JsonProperty("max_input_length") int maxInputLength,
        @JsonProperty("max_batch_tokens") int maxBatchTokens,
        @JsonProperty("max_batch_requests") int maxBatchRequests,
        @JsonProperty("max_client_batch_size") int maxClientBatchSize,
        @JsonProperty("auto_truncate") boolean autoTruncate,
        @JsonProperty("tokenization_workers") int tokenizationWorkers,
        String version,
        String sha,
        @JsonProperty("docker_label") String dockerLabel,
        @JsonProperty("dense_layers")
        @Schema(description = "EmbedServe's addition: how each dense-layer shape of the model was proven on this"
                + " CPU at load, and the path its layers run on")
        List<DenseLayer> denseLayers,
        @JsonProperty("rerank_model")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "EmbedServe's addition: the cross-encoder served beside the embedding model"
                + " (RERANK_MODEL_ID) for /rerank and /predict; absent when there is none")
        RerankModel rerankModel) {

    /** The reranker beside the embedding model, in the terms TEI uses for a primary model. */
    @Schema(name = "TeiRerankModel")
    record RerankModel(
            @JsonProperty("model_id") String modelId,
            @JsonProperty("model_sha") String modelSha,
            @JsonProperty("model_dtype") String modelDtype,
            @JsonProperty("model_type") ModelType modelType,
            @JsonProperty("max_input_length") int maxInputLength,
            @JsonProperty("dense_layers") List<DenseLayer> denseLayers) {

        static RerankModel of(CrossEncoderInfo model) {
            return new RerankModel(model.modelId(), model.revision(), model.dtype(), ModelType.of(model),
                    model.maxInputLength(), model.denseChecks().stream().map(DenseLayer::of).toList());
        }
    }

    /** One distinct dense-layer shape and the path the load-time check chose for it. */
    @Schema(name = "DenseLayerCheck")
    record DenseLayer(
            @JsonProperty("in_features") int inFeatures,
            @JsonProperty("out_features") int outFeatures,
            @JsonProperty("activation_fused") boolean activated,
            int layers,
            @Schema(description = "the DTYPE's fast path (onednn float32, onednn bfloat16) or torch.linear float32")
            String path,
            @JsonProperty("max_relative_error") double maxRelativeError,
            double tolerance,
            @JsonProperty("fast_path_failure") String fastPathFailure) {

        static DenseLayer of(DenseCheck check) {
            return new DenseLayer(check.inFeatures(), check.outFeatures(), check.activated(), check.layers(),
                    check.path(), check.worstError(), check.tolerance(), check.fastPathFailure());
        }
    }

    /**
     * TEI writes the model kind as an externally tagged enum: {"embedding": {"pooling": "mean"}}, or,
     * for a sequence classifier, {"reranker": {...}} with one label and {"classifier": {...}} with more.
     */
    @Schema(name = "TeiModelType")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ModelType(Embedding embedding, Classifier classifier, Classifier reranker) {

        static ModelType of(CrossEncoderInfo model) {
            Classifier labels = Classifier.of(model.labels());
            return model.reranker() ? new ModelType(null, null, labels) : new ModelType(null, labels, null);
        }
    }

    @Schema(name = "TeiEmbeddingModel")
    record Embedding(@Schema(description = "mean, cls, max or lasttoken") String pooling) {}

    /** TEI's {@code ClassifierModel}: the labels by id as strings, and back. */
    @Schema(name = "TeiClassifierModel")
    record Classifier(Map<String, String> id2label, Map<String, Integer> label2id) {

        static Classifier of(List<String> labels) {
            Map<String, String> id2label = new LinkedHashMap<>();
            Map<String, Integer> label2id = new LinkedHashMap<>();
            for (int id = 0; id < labels.size(); id++) {
                id2label.put(Integer.toString(id), labels.get(id));
                label2id.put(labels.get(id), id);
            }
            return new Classifier(id2label, label2id);
        }
    }

    /** The embedding model, and the reranker beside it or null. */
    static TeiInfo of(ModelInfo model, CrossEncoderInfo reranker, ServingProperties limits, String version) {
        ModelType embedding = new ModelType(new Embedding(model.pooling()), null, null);
        return of(model.modelId(), model.revision(), model.dtype(), model.servedModelName(), embedding,
                model.maxInputLength(),
                model.denseChecks(), reranker == null ? null : RerankModel.of(reranker), limits, version);
    }

    /** A cross-encoder served alone. */
    static TeiInfo of(CrossEncoderInfo model, ServingProperties limits, String version) {
        return of(model.modelId(), model.revision(), model.dtype(), model.modelId(), ModelType.of(model),
                model.maxInputLength(),
                model.denseChecks(), null, limits, version);
    }

    private static TeiInfo of(String modelId, String revision, String dtype, String servedModelName,
            ModelType modelType, int maxInputLength,
            List<DenseCheck> checks, RerankModel reranker, ServingProperties limits, String version) {
        return new TeiInfo(
                modelId,
                revision,
                dtype,
                servedModelName,
                modelType,
                limits.maxConcurrentRequests(),
                maxInputLength,
                limits.maxBatchTokens(),
                limits.maxBatchRequests(),
                limits.maxClientBatchSize(),
                limits.autoTruncate(),
                limits.tokenizationWorkers(),
                version,
                null,
                null,
                checks.stream().map(DenseLayer::of).toList(),
                reranker);
    }
}
