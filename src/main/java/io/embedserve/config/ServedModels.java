package io.embedserve.config;

import io.embedserve.error.ModelLoadException;
import io.embedserve.model.CrossEncoderConfig;
import io.embedserve.model.EncoderConfig;
import io.embedserve.model.ModelLocator;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.model.SentenceTransformerConfig;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Which models this process serves, decided from the configuration and the models' own config.json
 * before any weights are read: a sentence model (MODEL_ID), a cross-encoder beside it
 * (RERANK_MODEL_ID), or a cross-encoder alone when MODEL_ID names a *ForSequenceClassification
 * checkpoint, as TEI serves one. Either part may be null, never both.
 */
record ServedModels(SentenceModelFiles sentence, CrossEncoderFiles crossEncoder) {

    /** The sentence model's snapshot and the configs the memory check and the load share. */
    record SentenceModelFiles(ModelSnapshot snapshot, EncoderConfig config, SentenceTransformerConfig pipeline) {}

    /** The cross-encoder's snapshot and configs. */
    record CrossEncoderFiles(ModelSnapshot snapshot, EncoderConfig config, CrossEncoderConfig classifier) {}

    private static final Pattern MODEL_SETTING = Pattern.compile("\\bMODEL_(PATH|ID|REVISION)\\b");

    static ServedModels read(ModelProperties model, RerankModelProperties rerank) {
        ModelSnapshot primary = ModelLocator.locate(model.location());
        EncoderConfig primaryConfig = EncoderConfig.read(primary.file("config.json"));
        if (CrossEncoderConfig.namesSequenceClassifier(primary.directory())) {
            if (rerank.configured()) {
                throw new ModelLoadException("The model " + primary.modelId() + " (MODEL_ID or MODEL_PATH) is a"
                        + " cross-encoder, and RERANK_MODEL_ID or RERANK_MODEL_PATH names a second one. Set MODEL_ID to"
                        + " a sentence-transformers model to serve both, or unset RERANK_MODEL_ID and RERANK_MODEL_PATH"
                        + " to serve the cross-encoder alone.");
            }
            return new ServedModels(null, new CrossEncoderFiles(primary, primaryConfig,
                    CrossEncoderConfig.read(primary.directory(), primaryConfig)));
        }
        SentenceModelFiles sentence = new SentenceModelFiles(primary, primaryConfig,
                SentenceTransformerConfig.read(primary.directory(), primaryConfig, model.poolingOverride()));
        return new ServedModels(sentence, rerank.configured() ? reranker(model, rerank) : null);
    }

    private static CrossEncoderFiles reranker(ModelProperties model, RerankModelProperties rerank) {
        return asReranker(() -> {
            ModelSnapshot snapshot = ModelLocator.locate(rerank.location(model));
            EncoderConfig config = EncoderConfig.read(snapshot.file("config.json"));
            return new CrossEncoderFiles(snapshot, config, CrossEncoderConfig.read(snapshot.directory(), config));
        });
    }

    /**
     * Runs a step of the reranker's load. The model package's messages name the sentence model's
     * settings (MODEL_PATH, MODEL_ID, MODEL_REVISION); for the reranker they must name its own.
     */
    static <T> T asReranker(Supplier<T> step) {
        try {
            return step.get();
        } catch (ModelLoadException e) {
            String named = MODEL_SETTING.matcher(e.getMessage()).replaceAll("RERANK_MODEL_$1");
            throw new ModelLoadException("Reranker: " + named, e.getCause());
        }
    }
}
