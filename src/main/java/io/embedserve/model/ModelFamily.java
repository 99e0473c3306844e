package io.embedserve.model;

import java.util.List;
import java.util.Locale;

/**
 * The encoder families that share BERT's architecture. Everything that differs between them lives
 * here: the weight-name prefix a full (non-headless) checkpoint uses, and how position ids are
 * numbered.
 */
public enum ModelFamily {
    BERT("bert", "bert.", false),
    ROBERTA("roberta", "roberta.", true),
    XLM_ROBERTA("xlm-roberta", "roberta.", true);

    private final String modelType;
    private final String weightPrefix;
    private final boolean paddingOffsetPositions;

    ModelFamily(String modelType, String weightPrefix, boolean paddingOffsetPositions) {
        this.modelType = modelType;
        this.weightPrefix = weightPrefix;
        this.paddingOffsetPositions = paddingOffsetPositions;
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
     * RoBERTa and XLM-R number positions from {@code pad_token_id + 1} and give padding the id
     * {@code pad_token_id} (transformers' create_position_ids_from_input_ids); BERT numbers them
     * from 0.
     */
    public boolean paddingOffsetPositions() {
        return paddingOffsetPositions;
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
