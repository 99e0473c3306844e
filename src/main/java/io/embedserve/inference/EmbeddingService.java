package io.embedserve.inference;

import java.util.List;

/**
 * What the HTTP layer asks of the model. Implementations throw subclasses of
 * {@link io.embedserve.error.EmbedServeException} for every expected failure.
 */
public interface EmbeddingService {

    /** Embeds the inputs in order. Throws NotReadyException before the model is loaded. */
    Embeddings embed(List<EmbedInput> inputs, EmbedOptions options);

    /** Tokenizes each text as the model would (no truncation), with char offsets. */
    List<List<Token>> tokenize(List<String> texts, boolean addSpecialTokens, String promptName);

    /** Turns ids back into text. */
    String decode(long[] ids, boolean skipSpecialTokens);

    /** Facts about the loaded model. Throws NotReadyException before it is loaded. */
    ModelInfo info();

    /**
     * True once the model is loaded and one warm-up pass has run, or once it is known that this
     * process serves no embedding model (there is nothing to wait for).
     */
    boolean isReady();

    /** False once it is known that this process serves no embedding model (a cross-encoder alone). */
    default boolean served() {
        return true;
    }
}
