package io.embedserve.inference;

import java.util.List;

/**
 * What the HTTP layer asks of the cross-encoder (TEI's /rerank and /predict). Implementations throw
 * subclasses of {@link io.embedserve.error.EmbedServeException} for every expected failure.
 */
public interface CrossEncoderService {

    /**
     * Scores each text against the query, in input order. Only a one-label cross-encoder reranks;
     * anything else is TEI's 424.
     */
    Scores rerank(String query, List<String> texts, ScoreOptions options);

    /** Scores each input, a text or a pair, per label, in input order. */
    Scores predict(List<CrossEncoderInput> inputs, ScoreOptions options);

    /** Facts about the loaded cross-encoder. Throws NotReadyException before it is loaded. */
    CrossEncoderInfo info();

    /** True once the cross-encoder is warm, or once it is known that none is served. */
    boolean isReady();

    /** False once it is known that this process serves no cross-encoder. */
    boolean served();
}
