package io.embedserve.inference.batch;

import io.embedserve.error.InferenceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that runs batches: it takes the next batch from the waiting inputs it shares with the
 * other workers, runs it on the model and answers each caller. It keeps running until the queue
 * stops accepting and everything waiting has been answered.
 *
 * <p>Whatever a batch throws, its callers are answered (a 424) and the worker goes on with the
 * next batch, Errors included: a native failure that surfaces as an Error is the batch's failure,
 * not the worker's. Only a {@link VirtualMachineError} (out of memory, an internal JVM error) ends
 * the worker, since nothing after it can be trusted; {@link #run} then returns it so that the
 * queue can fail everything still waiting and the process can be restarted.
 */
final class InferenceWorker {

    private static final Logger log = LoggerFactory.getLogger(InferenceWorker.class);

    private final BatchModel model;
    private final WaitingInputs waiting;
    private final BatchListener listener;
    private final ThreadShare.Seat threads;
    private volatile long batchStartedAt; // 0 while idle; read by the liveness check

    InferenceWorker(BatchModel model, WaitingInputs waiting, BatchListener listener, ThreadShare.Seat threads) {
        this.model = model;
        this.waiting = waiting;
        this.listener = listener;
        this.threads = threads;
    }

    /** True while one batch has been running for longer than {@code limit}. */
    boolean busyLongerThan(Duration limit) {
        long started = batchStartedAt;
        return started != 0 && System.nanoTime() - started > limit.toNanos();
    }

    /**
     * Runs until the queue is closed and drained (returns null) or the worker cannot go on
     * (returns why, after failing the batch it held).
     */
    Throwable run() {
        try {
            while (true) {
                List<PendingInput> batch;
                try {
                    batch = waiting.nextBatch(threads);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                if (batch == null) {
                    return null;
                }
                runOneBatch(batch);
            }
        } catch (VirtualMachineError fatal) {
            log.error("An inference worker cannot go on and stops; every waiting request is failed", fatal);
            return fatal;
        }
    }

    private void runOneBatch(List<PendingInput> batch) {
        List<long[]> sequences = new ArrayList<>(batch.size());
        List<long[]> typeIds = new ArrayList<>(batch.size());
        int longest = 0;
        long started = System.nanoTime();
        for (PendingInput input : batch) {
            input.startedAt = started;
            sequences.add(input.ids);
            typeIds.add(input.typeIds);
            longest = Math.max(longest, input.ids.length);
        }
        batchStartedAt = started;
        try {
            float[][] vectors = runOnItsThreads(sequences, typeIds);
            long elapsed = System.nanoTime() - started;
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).inferenceNanos = elapsed;
                batch.get(i).result.complete(vectors[i]);
            }
            listener.batchCompleted(batch.size(), (long) longest * batch.size(), elapsed);
        } catch (Throwable e) {
            InferenceException failure = e instanceof InferenceException known ? known
                    : new InferenceException("Inference failed: " + e, e);
            batch.forEach(p -> p.result.completeExceptionally(failure));
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            if (e instanceof Error) {
                log.error("A batch of {} failed with an Error; its callers got 424 and the worker goes on", batch.size(), e);
            }
        } finally {
            batchStartedAt = 0;
        }
    }

    /**
     * The forward pass on the threads the seat gives it. The seat is given back before any caller
     * is answered, so that a client's next request finds this worker idle.
     */
    private float[][] runOnItsThreads(List<long[]> sequences, List<long[]> typeIds) {
        try {
            threads.begin();
            return model.run(sequences, typeIds);
        } finally {
            threads.end();
        }
    }
}
