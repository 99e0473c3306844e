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

    void run() {
        List<PendingInput> waiting = new ArrayList<>();
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
                break;
            } catch (RuntimeException e) {
                log.error("Inference worker caught an unexpected error; it keeps running", e);
            }
        }
        waiting.forEach(p -> p.result.completeExceptionally(new NotReadyException("The service stopped.")));
        leftQueue(waiting.size());
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
        } catch (RuntimeException e) {
            InferenceException failure = e instanceof InferenceException known ? known
                    : new InferenceException("Inference failed: " + e.getMessage(), e);
            batch.forEach(p -> p.result.completeExceptionally(failure));
        } finally {
            batchStartedAt = 0;
        }
    }
}
