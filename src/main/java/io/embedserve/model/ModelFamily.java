package io.embedserve.model;

import java.util.List;
import java.util.Locale;

/**
 * The encoder families EmbedServe runs: BERT and its RoBERTa / XLM-R variants, MPNet and DistilBERT,
 * all post-LayerNorm transformers that differ in module names, embeddings and, for MPNet, a relative
 * position bias. Everything that differs between them on the Java side lives here: the config.json
 * model_type, the weight-name prefix a full (non-headless) checkpoint uses, how position ids are
 * numbered, and whether the model has token type embeddings.
 */
public enum ModelFamily {
    BERT("bert", "bert.", false, true),
    ROBERTA("roberta", "roberta.", true, true),
    XLM_ROBERTA("xlm-roberta", "roberta.", true, true),
    /** transformers' MPNetModel: no token types, RoBERTa's positions, a relative position bias. */
    MPNET("mpnet", "mpnet.", true, false),
    /** transformers' DistilBertModel: no token types, positions from 0, its own config key names. */
    DISTILBERT("distilbert", "distilbert.", false, false);

    private final String modelType;
    private final String weightPrefix;
    private final boolean paddingOffsetPositions;
    private final boolean tokenTypeEmbeddings;

    ModelFamily(String modelType, String weightPrefix, boolean paddingOffsetPositions, boolean tokenTypeEmbeddings) {
        this.modelType = modelType;
        this.weightPrefix = weightPrefix;
        this.paddingOffsetPositions = paddingOffsetPositions;
        this.tokenTypeEmbeddings = tokenTypeEmbeddings;
    }

    /** The {@code model_type} value in config.json. */
    public String modelType() {
        return modelType;
    }

    /** Prefixes a checkpoint may put before the Hugging Face module names, most likely first. */
    public List<String> weightPrefixes() {
        return List.of("", weightPrefix);
    }

    /**
     * The prefix a task model (e.g. BertForSequenceClassification) puts before its base model's
     * names: transformers' base_model_prefix.
     */
    public String weightPrefix() {
        return weightPrefix;
    }

    /**
     * RoBERTa, XLM-R and MPNet number positions from {@code padding_idx + 1} and give padding the id
     * {@code padding_idx} (transformers' create_position_ids_from_input_ids); BERT and DistilBERT
     * number them from 0.
     */
    public boolean paddingOffsetPositions() {
        return paddingOffsetPositions;
    }

    /**
     * Whether the model reads the token type ids of a text pair: BERT's tokenizer returns them (1 from
     * the second text on); RoBERTa's and XLM-R's list no token_type_ids among their model inputs, so
     * their models see type 0 throughout.
     */
    public boolean pairTokenTypes() {
        return this == BERT;
    }

    /** Whether the embeddings hold {@code embeddings.token_type_embeddings} (MPNet and DistilBERT have none). */
    public boolean tokenTypeEmbeddings() {
        return tokenTypeEmbeddings;
    }

    /** Returns the family for a config.json model_type, or null if it is not supported. */
    public static ModelFamily fromModelType(String modelType) {
        String wanted = modelType == null ? "" : modelType.toLowerCase(Locale.ROOT).replace('_', '-');
        for (ModelFamily family : values()) {
            if (family.modelType.equals(wanted)) {
                return family;
            }
        }
        return null;
    }
}
