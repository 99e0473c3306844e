package io.embedserve.inference;

import java.util.List;

/**
 * The stage that turns tokenized inputs into raw pooled vectors (before normalisation and
 * {@code dimensions}). The model implements it; the batch queue and the embedding cache wrap it.
 */
@FunctionalInterface
public interface PooledEncoder {

    /** Returns one raw pooled vector per input, in input order. */
    PooledVectors encode(List<TokenizedInput> inputs);
}
