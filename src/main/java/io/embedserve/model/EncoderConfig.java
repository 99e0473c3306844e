package io.embedserve.model;

import io.embedserve.error.ModelLoadException;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/**
 * The encoder's config.json, key for key (transformers' BertConfig / RobertaConfig /
 * XLMRobertaConfig / MPNetConfig share these names; DistilBertConfig spells some of them its own way,
 * and they are read under its names, as its attribute_map aliases them). Missing keys take the
 * family's transformers class defaults.
 *
 * @param typeVocabSize rows of {@code embeddings.token_type_embeddings}; 0 for a family without them
 * @param relativeAttentionNumBuckets rows of MPNet's {@code encoder.relative_attention_bias}; 0 for
 *     the other families
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
        int padTokenId,
        int relativeAttentionNumBuckets) {

    /**
     * The buckets MPNet's relative position bias is computed for: transformers' MPNetEncoder calls
     * relative_position_bucket with its default of 32 whatever the config says, so a table of another
     * size would be indexed wrongly (or out of range) there too.
     */
    public static final int MPNET_POSITION_BUCKETS = 32;

    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    public static EncoderConfig read(Path file) {
        JsonNode json = JsonFiles.read(file);
        String modelType = json.path("model_type").asString("");
        ModelFamily family = ModelFamily.fromModelType(modelType);
        if (family == null) {
            throw new ModelLoadException(
                    file + " has model_type '" + modelType + "'; EmbedServe supports bert, roberta,"
                            + " xlm-roberta, mpnet and distilbert encoders. Point MODEL_ID or MODEL_PATH at one of"
                            + " those.");
        }
        EncoderConfig config = switch (family) {
            case MPNET -> readMpNet(json);
            case DISTILBERT -> readDistilBert(json, file);
            default -> readBert(json, family, file);
        };
        config.validate(file);
        return config;
    }

    /** BertConfig / RobertaConfig / XLMRobertaConfig. */
    private static EncoderConfig readBert(JsonNode json, ModelFamily family, Path file) {
        String positions = json.path("position_embedding_type").asString("absolute");
        if (!"absolute".equals(positions)) {
            throw new ModelLoadException(
                    file + " has position_embedding_type '" + positions + "'; only 'absolute' is"
                            + " supported. Choose a model with absolute position embeddings.");
        }
        boolean bert = family == ModelFamily.BERT;
        return new EncoderConfig(
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
                intValue(json, "pad_token_id", bert ? 0 : 1),
                0);
    }

    /** MPNetConfig: BERT's key names, no token types, and the relative attention buckets. */
    private static EncoderConfig readMpNet(JsonNode json) {
        return new EncoderConfig(
                ModelFamily.MPNET,
                intValue(json, "vocab_size", 30527),
                intValue(json, "hidden_size", 768),
                intValue(json, "num_hidden_layers", 12),
                intValue(json, "num_attention_heads", 12),
                intValue(json, "intermediate_size", 3072),
                json.path("hidden_act").asString("gelu"),
                json.path("layer_norm_eps").asDouble(1e-12),
                intValue(json, "max_position_embeddings", 514),
                0,
                intValue(json, "pad_token_id", 1),
                intValue(json, "relative_attention_num_buckets", MPNET_POSITION_BUCKETS));
    }

    /**
     * DistilBertConfig: dim, n_layers, n_heads, hidden_dim and activation are its names for
     * hidden_size, num_hidden_layers, num_attention_heads, intermediate_size and hidden_act. It has
     * no layer_norm_eps: modeling_distilbert.py builds every LayerNorm with eps 1e-12.
     */
    private static EncoderConfig readDistilBert(JsonNode json, Path file) {
        if (json.path("sinusoidal_pos_embds").asBoolean(false)) {
            throw new ModelLoadException(file + " sets sinusoidal_pos_embds: EmbedServe reads DistilBERT's position"
                    + " embeddings from the checkpoint and does not compute sinusoidal ones. Choose a model with"
                    + " learned position embeddings (sinusoidal_pos_embds false, as the published DistilBERT models).");
        }
        return new EncoderConfig(
                ModelFamily.DISTILBERT,
                intValue(json, "vocab_size", 30522),
                intValue(json, "dim", 768),
                intValue(json, "n_layers", 6),
                intValue(json, "n_heads", 12),
                intValue(json, "hidden_dim", 3072),
                json.path("activation").asString("gelu"),
                1e-12,
                intValue(json, "max_position_embeddings", 512),
                0,
                intValue(json, "pad_token_id", 0),
                0);
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
        if (family.paddingOffsetPositions() && maxPositionEmbeddings <= paddingIdx() + 1) {
            throw new ModelLoadException(file + ": max_position_embeddings is too small for padding index "
                    + paddingIdx() + ".");
        }
        if (family == ModelFamily.MPNET && relativeAttentionNumBuckets != MPNET_POSITION_BUCKETS) {
            throw new ModelLoadException(file + " has relative_attention_num_buckets " + relativeAttentionNumBuckets
                    + "; transformers' MPNet computes the relative position buckets for "
                    + MPNET_POSITION_BUCKETS + " whatever the config says, so only " + MPNET_POSITION_BUCKETS
                    + " gives the vectors the model was trained with.");
        }
    }

    /**
     * The index create_position_ids_from_input_ids counts positions from: RoBERTa's and XLM-R's
     * embeddings take it from pad_token_id, MPNetEmbeddings fixes it at 1.
     */
    public int paddingIdx() {
        return family == ModelFamily.MPNET ? 1 : padTokenId;
    }

    /** The longest input the position table can hold, in tokens, special tokens included. */
    public int maxInputTokens() {
        // RoBERTa/XLM-R/MPNet spend padding_idx + 1 rows before the first position (514 - 2 = 512).
        return family.paddingOffsetPositions()
                ? maxPositionEmbeddings - paddingIdx() - 1
                : maxPositionEmbeddings;
    }

    private static int intValue(JsonNode json, String key, int fallback) {
        JsonNode node = json.get(key);
        return node == null || node.isNull() ? fallback : node.asInt();
    }
}
