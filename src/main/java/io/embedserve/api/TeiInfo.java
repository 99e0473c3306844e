package io.embedserve.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.embedserve.config.ServingProperties;
import io.embedserve.inference.ModelInfo;
import io.embedserve.inference.encode.DenseCheck;
import java.util.List;
import io.swagger.v3.oas.annotations.media.Schema;

/** TEI's GET /info document (router/src/lib.rs, {@code struct Info}), field for field. */
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
        List<DenseLayer> denseLayers) {

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

    /** TEI writes the model kind as an externally tagged enum: {"embedding": {"pooling": "mean"}}. */
    @Schema(name = "TeiModelType")
    record ModelType(Embedding embedding) {}

    @Schema(name = "TeiEmbeddingModel")
    record Embedding(@Schema(description = "mean, cls, max or lasttoken") String pooling) {}

    static TeiInfo of(ModelInfo model, ServingProperties limits, String version) {
        return new TeiInfo(
                model.modelId(),
                model.revision(),
                model.dtype(),
                model.servedModelName(),
                new ModelType(new Embedding(model.pooling())),
                limits.maxConcurrentRequests(),
                model.maxInputLength(),
                limits.maxBatchTokens(),
                limits.maxBatchRequests(),
                limits.maxClientBatchSize(),
                limits.autoTruncate(),
                limits.tokenizationWorkers(),
                version,
                null,
                null,
                model.denseChecks().stream().map(DenseLayer::of).toList());
    }
}
