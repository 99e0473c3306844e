package io.embedserve.inference;

import java.util.List;

/**
 * The vectors of one request, in input order, and the number of tokens that went into them.
 */
public record Embeddings(List<float[]> vectors, int promptTokens) {

    public Embeddings {
        vectors = List.copyOf(vectors);
    }
}
