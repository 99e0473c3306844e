package io.embedserve.inference;

/**
 * The concurrency limit (MAX_CONCURRENT_REQUESTS), counted per input as TEI counts it, shared by
 * every route that does work for a client: the batch queue admits embeddings, and /tokenize and
 * /decode take their permits from the same pool. Past the limit the caller gets 429 at once.
 */
@FunctionalInterface
public interface Admission {

    /** Takes {@code inputs} permits or throws OverloadedException; close the permit to return them. */
    Permit admit(int inputs);

    /** Returned permits; closing twice returns them once. */
    @FunctionalInterface
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /** No limit: for tools and tests that run the service without a queue. */
    Admission UNLIMITED = inputs -> () -> { };
}
