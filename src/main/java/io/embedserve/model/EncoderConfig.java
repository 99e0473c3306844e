package io.embedserve.model;

import io.embedserve.error.ModelLoadException;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/**
 * The encoder's config.json, key for key (transformers' BertConfig / RobertaConfig /
 * XLMRobertaConfig share these names). Missing keys take transformers' class defaults.
 */
public record EncoderConfig(
        ModelFamily family,
        int vocabSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        String hiddenAct,
        double layerNormEps,
        int maxPositionEmbeddings,
        int typeVocabSize,
        int padTokenId) {


    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    public static EncoderConfig read(Path file) {
        JsonNode json = JsonFiles.read(file);
        String modelType = json.path("model_type").asString("");
        ModelFamily family = ModelFamily.fromModelType(modelType);
        if (family == null) {
            throw new ModelLoadException(
                    file + " has model_type '" + modelType + "'; EmbedServe supports bert, roberta"
                            + " and xlm-roberta encoders. Point MODEL_ID or MODEL_PATH at one of those.");
        }
        String positions = json.path("position_embedding_type").asString("absolute");
        if (!"absolute".equals(positions)) {
            throw new ModelLoadException(
                    file + " has position_embedding_type '" + positions + "'; only 'absolute' is"
                            + " supported. Choose a model with absolute position embeddings.");
        }
        boolean bert = family == ModelFamily.BERT;
        EncoderConfig config =
                new EncoderConfig(
                        family,
                        intValue(json, "vocab_size", bert ? 30522 : 50265),
                        intValue(json, "hidden_size", 768),
                        intValue(json, "num_hidden_layers", 12),
                        intValue(json, "num_attention_heads", 12),
                        intValue(json, "intermediate_size", 3072),
                        json.path("hidden_act").asString("gelu"),
                        json.path("layer_norm_eps").asDouble(1e-12),
                        intValue(json, "max_position_embeddings", 512),
                        intValue(json, "type_vocab_size", 2),
                        intValue(json, "pad_token_id", bert ? 0 : 1));
        config.validate(file);
        return config;
    }

    private void validate(Path file) {
        if (hiddenSize <= 0 || numAttentionHeads <= 0 || hiddenSize % numAttentionHeads != 0) {
            throw new ModelLoadException(
                    file + ": hidden_size " + hiddenSize + " is not a positive multiple of"
                            + " num_attention_heads " + numAttentionHeads + ".");
        }
        if (numHiddenLayers <= 0 || intermediateSize <= 0 || vocabSize <= 0) {
            throw new ModelLoadException(file + ": num_hidden_layers, intermediate_size and vocab_size must be positive.");
        }
        if (family.paddingOffsetPositions() && maxPositionEmbeddings <= padTokenId + 1) {
            throw new ModelLoadException(file + ": max_position_embeddings is too small for pad_token_id " + padTokenId + ".");
        }
    }

    /** The longest input the position table can hold, in tokens, special tokens included. */
    public int maxInputTokens() {
        // RoBERTa/XLM-R spend pad_token_id + 1 rows before the first position (514 - 2 = 512).
        return family.paddingOffsetPositions()
                ? maxPositionEmbeddings - padTokenId - 1
                : maxPositionEmbeddings;
    }

    private static int intValue(JsonNode json, String key, int fallback) {
        JsonNode node = json.get(key);
        return node == null || node.isNull() ? fallback : node.asInt();
    }
}
