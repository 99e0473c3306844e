package io.embedserve.inference.batch;

import io.embedserve.error.ClientGoneException;
import io.embedserve.error.EmbedServeException;
import io.embedserve.error.InferenceException;
import io.embedserve.error.RequestTimeoutException;
import io.embedserve.inference.Caller;
import io.embedserve.inference.PooledVectors;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a caller waits for its queued inputs: until they are answered, its client goes away
 * (checked ever more rarely, {@link Caller.PresenceChecks}), it is interrupted, or its deadline
 * passes. In every case but the first its inputs are withdrawn so that the workers skip them, and
 * the caller leaves at once.
 */
final class CallerWait {

    private CallerWait() {}

    static PooledVectors awaitAll(List<PendingInput> pending, Caller.Deadline deadline) {
        float[][] vectors = new float[pending.size()][];
        long queue = 0;
        long inference = 0;
        Caller.PresenceChecks checks = Caller.presenceChecks();
        try {
            for (int i = 0; i < vectors.length; i++) {
                PendingInput input = pending.get(i);
                vectors[i] = await(input, checks, deadline);
                queue = Math.max(queue, input.startedAt - input.enqueuedAt);
                inference = Math.max(inference, input.inferenceNanos);
            }
            return new PooledVectors(vectors, queue, inference);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel(pending);
            throw new InferenceException("Interrupted while waiting for inference", e);
        } catch (ExecutionException e) {
            cancel(pending);
            throw e.getCause() instanceof EmbedServeException known ? known
                    : new InferenceException("Inference failed: " + e.getCause(), e.getCause());
        } catch (ClientGoneException | RequestTimeoutException e) {
            cancel(pending);
            throw e;
        } catch (CancellationException e) {
            throw new InferenceException("The request was cancelled", e);
        }
    }

    /** Waits in slices, checking the caller's presence (when bound) between them, until the deadline. */
    private static float[] await(PendingInput input, Caller.PresenceChecks checks, Caller.Deadline deadline)
            throws InterruptedException, ExecutionException {
        while (true) {
            long left = deadline.remainingNanos();
            if (left <= 0) {
                throw deadline.expired();
            }
            long slice = checks.nextSliceNanos(left);
            try {
                return input.result.get(slice, TimeUnit.NANOSECONDS);
            } catch (TimeoutException stillWaiting) {
                checks.requirePresent();
            }
        }
    }

    /** Drops a caller's inputs that have not run yet: the workers skip them. */
    static void cancel(List<PendingInput> pending) {
        pending.forEach(p -> p.result.cancel(false));
    }
}
