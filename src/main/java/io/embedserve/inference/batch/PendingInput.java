package io.embedserve.inference.batch;

import java.util.concurrent.CompletableFuture;

/** One input waiting for the worker, and the future its caller waits on. */
final class PendingInput {

    final long[] ids;
    /** Token type ids for a model that reads them; null otherwise. */
    final long[] typeIds;
    final long enqueuedAt = System.nanoTime();
    final CompletableFuture<float[]> result = new CompletableFuture<>();
    volatile long startedAt;
    volatile long inferenceNanos;

    PendingInput(long[] ids, long[] typeIds) {
        this.ids = ids;
        this.typeIds = typeIds;
    }

    /** True once its caller has gone (cancelled) or it was answered; such inputs are not computed. */
    boolean abandoned() {
        return result.isDone();
    }
}
