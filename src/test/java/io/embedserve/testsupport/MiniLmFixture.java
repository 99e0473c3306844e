package io.embedserve.testsupport;

import io.embedserve.testsupport.SafetensorsWriter.Dtype;
import java.nio.file.Path;

/**
 * The Hub snapshot of {@code sentence-transformers/all-MiniLM-L6-v2}, rebuilt from the ONNX export in
 * {@link MiniLmResources}: {@link RealModelFixture} for {@link RealModel#ALL_MINILM_L6_V2}, with the
 * published numbers the tests use.
 *
 * <p>Each dtype is built once per JVM into a temporary directory ({@link #modelDirectory()}); treat
 * that one as read-only and use {@link #writeModelDirectory} for a private copy to move or break.
 */
public final class MiniLmFixture {

    // Published config.json of sentence-transformers/all-MiniLM-L6-v2.
    public static final int VOCAB_SIZE = 30522;
    public static final int HIDDEN_SIZE = 384;
    public static final int NUM_HIDDEN_LAYERS = 6;
    public static final int NUM_ATTENTION_HEADS = 12;
    public static final int INTERMEDIATE_SIZE = 1536;
    public static final int MAX_POSITION_EMBEDDINGS = 512;
    public static final int TYPE_VOCAB_SIZE = 2;
    /** From sentence_bert_config.json; note that tokenizer.json itself truncates at 128. */
    public static final int MAX_SEQ_LENGTH = 256;

    private MiniLmFixture() {
    }

    /** The shared float32 model directory, built on first use. */
    public static Path modelDirectory() {
        return modelDirectory(Dtype.F32);
    }

    /** The shared model directory whose weights are stored as {@code dtype}, built on first use. */
    public static Path modelDirectory(Dtype dtype) {
        return RealModelFixture.modelDirectory(RealModel.ALL_MINILM_L6_V2, dtype);
    }

    /** Copies the float32 model directory into {@code target} (created if needed, files replaced); returns {@code target}. */
    public static Path writeModelDirectory(Path target) {
        return writeModelDirectory(target, Dtype.F32);
    }

    /** Copies the model directory with {@code dtype} weights into {@code target}; returns {@code target}. */
    public static Path writeModelDirectory(Path target, Dtype dtype) {
        return RealModelFixture.writeModelDirectory(RealModel.ALL_MINILM_L6_V2, target, dtype);
    }
}
