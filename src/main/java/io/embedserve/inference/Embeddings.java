package io.embedserve.inference;

import java.util.List;

/**
 * The vectors of one request, in input order, and what they cost.
 *
 * @param vectors one vector per input
 * @param promptTokens tokens that went into them (prompts and special tokens included)
 * @param timings where the time went, for TEI's x-*-time headers and the metrics
 */
public record Embeddings(List<float[]> vectors, int promptTokens, Timings timings) {

    public Embeddings {
        vectors = List.copyOf(vectors);
        timings = timings == null ? Timings.NONE : timings;
    }

    public Embeddings(List<float[]> vectors, int promptTokens) {
        this(vectors, promptTokens, Timings.NONE);
    }

    /** Nanoseconds spent tokenizing, waiting in the queue, and in forward passes. */
    public record Timings(long tokenizationNanos, long queueNanos, long inferenceNanos) {
        public static final Timings NONE = new Timings(0, 0, 0);
    }
}
