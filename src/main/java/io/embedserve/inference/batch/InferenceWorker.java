package io.embedserve.inference.batch;

import io.embedserve.error.InferenceException;
import io.embedserve.error.NotReadyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the model: it drains the queue, drops inputs whose caller has gone,
 * cuts the next batch with {@link BatchPlanner}, runs it and answers each caller. It keeps
 * running until the queue stops accepting and everything queued has been answered.
 *
 * <p>Whatever a batch throws, its callers are answered (a 424) and the worker goes on with the
 * next batch, Errors included: a native failure that surfaces as an Error is the batch's failure,
 * not the worker's. Only a {@link VirtualMachineError} (out of memory, an internal JVM error) ends
 * the worker, since nothing after it can be trusted; {@link #run} then returns it so that the
 * queue can fail everything still waiting and the process can be restarted.
 */
final class InferenceWorker {

    private static final Logger log = LoggerFactory.getLogger(InferenceWorker.class);

    private final Function<List<long[]>, float[][]> model;
    private final BatchLimits limits;
    private final BatchListener listener;
    private final BlockingQueue<PendingInput> incoming;
    private final AtomicInteger queued;
    private final BooleanSupplier accepting;
    private volatile long batchStartedAt; // 0 while idle; read by the liveness check

    InferenceWorker(Function<List<long[]>, float[][]> model, BatchLimits limits, BatchListener listener,
            BlockingQueue<PendingInput> incoming, AtomicInteger queued, BooleanSupplier accepting) {
        this.model = model;
        this.limits = limits;
        this.listener = listener;
        this.incoming = incoming;
        this.queued = queued;
        this.accepting = accepting;
    }

    /** True while one batch has been running for longer than {@code limit}. */
    boolean busyLongerThan(Duration limit) {
        long started = batchStartedAt;
        return started != 0 && System.nanoTime() - started > limit.toNanos();
    }

    /**
     * Runs until the queue is closed and drained (returns null) or the worker cannot go on
     * (returns why). Inputs taken off the queue and not answered are failed before it returns.
     */
    Throwable run() {
        List<PendingInput> waiting = new ArrayList<>();
        try {
            loop(waiting);
            waiting.forEach(p -> p.result.completeExceptionally(new NotReadyException("The service stopped.")));
            return null;
        } catch (Throwable fatal) {
            log.error("The inference worker cannot go on and stops; every waiting request is failed", fatal);
            waiting.forEach(p -> p.result.completeExceptionally(
                    new NotReadyException("The inference worker stopped; the service is restarting.", fatal)));
            return fatal;
        } finally {
            leftQueue(waiting.size());
        }
    }

    private void loop(List<PendingInput> waiting) {
        while (accepting.getAsBoolean() || !incoming.isEmpty() || !waiting.isEmpty()) {
            try {
                if (waiting.isEmpty()) {
                    PendingInput first = incoming.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    waiting.add(first);
                }
                incoming.drainTo(waiting);
                int before = waiting.size();
                waiting.removeIf(PendingInput::abandoned);
                if (waiting.size() < before) {
                    leftQueue(before - waiting.size());
                    listener.inputsDropped(before - waiting.size());
                }
                if (!waiting.isEmpty()) {
                    runOneBatch(waiting);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("Inference worker caught an unexpected error; it keeps running", e);
            }
        }
    }

    private void leftQueue(int inputs) {
        listener.queueDepth(queued.addAndGet(-inputs));
    }

    private void runOneBatch(List<PendingInput> waiting) {
        int[] lengths = waiting.stream().mapToInt(p -> p.ids.length).toArray();
        List<Integer> chosen = BatchPlanner.next(lengths, limits.maxBatchTokens(), limits.maxBatchRequests());
        List<PendingInput> batch = new ArrayList<>(chosen.size());
        chosen.forEach(i -> batch.add(waiting.get(i)));
        waiting.removeAll(batch);
        leftQueue(batch.size());
        List<long[]> sequences = new ArrayList<>(batch.size());
        int longest = 0;
        long started = System.nanoTime();
        for (PendingInput input : batch) {
            input.startedAt = started;
            sequences.add(input.ids);
            longest = Math.max(longest, input.ids.length);
        }
        batchStartedAt = started;
        try {
            float[][] vectors = model.apply(sequences);
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
}
