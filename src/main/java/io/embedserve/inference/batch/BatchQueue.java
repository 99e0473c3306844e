package io.embedserve.inference.batch;

import io.embedserve.error.EmbedServeException;
import io.embedserve.error.InferenceException;
import io.embedserve.error.NotReadyException;
import io.embedserve.error.OverloadedException;
import io.embedserve.inference.PooledEncoder;
import io.embedserve.inference.PooledVectors;
import io.embedserve.inference.TokenizedInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching (TEI's queue): callers on any thread hand in tokenized inputs and wait; one
 * worker thread owns the model and merges whatever is waiting into batches under a token budget.
 * Admission is counted per input, as TEI counts it; past the limit the caller gets 429 at once.
 */
public final class BatchQueue implements PooledEncoder, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchQueue.class);

    private final Function<List<long[]>, float[][]> model;
    private final BatchLimits limits;
    private final BatchListener listener;
    private final Semaphore admission;
    private final LinkedBlockingQueue<PendingInput> incoming = new LinkedBlockingQueue<>();
    private final Thread worker;
    /** Callers enqueue under the read lock; close() flips {@code accepting} under the write lock. */
    private final ReadWriteLock admissionLock = new ReentrantReadWriteLock();
    private volatile boolean accepting = true;
    private volatile long batchStartedAt; // 0 while idle; read by the liveness check

    /**
     * @param model runs one batch as given and returns one vector per sequence, in order
     */
    public BatchQueue(Function<List<long[]>, float[][]> model, BatchLimits limits, BatchListener listener) {
        this.model = model;
        this.limits = limits;
        this.listener = listener;
        this.admission = new Semaphore(limits.maxConcurrentInputs());
        this.worker = new Thread(this::runWorker, "inference-worker");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    @Override
    public PooledVectors encode(List<TokenizedInput> inputs) {
        if (!admission.tryAcquire(inputs.size())) {
            throw new OverloadedException("Model is overloaded: more than " + limits.maxConcurrentInputs()
                    + " inputs in flight (max-concurrent-requests). Retry later.");
        }
        try {
            return awaitAll(enqueue(inputs));
        } finally {
            admission.release(inputs.size());
        }
    }

    private List<PendingInput> enqueue(List<TokenizedInput> inputs) {
        List<PendingInput> pending = new ArrayList<>(inputs.size());
        for (TokenizedInput input : inputs) {
            pending.add(new PendingInput(input.ids()));
        }
        admissionLock.readLock().lock();
        try {
            if (!accepting) {
                throw new NotReadyException("The service is shutting down and accepts no new work.");
            }
            incoming.addAll(pending);
        } finally {
            admissionLock.readLock().unlock();
        }
        listener.queueDepth(incoming.size());
        return pending;
    }

    private PooledVectors awaitAll(List<PendingInput> pending) {
        float[][] vectors = new float[pending.size()][];
        long queue = 0;
        long inference = 0;
        try {
            for (int i = 0; i < vectors.length; i++) {
                PendingInput input = pending.get(i);
                vectors[i] = input.result.get();
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
        } catch (CancellationException e) {
            throw new InferenceException("The request was cancelled", e);
        }
    }

    /** Drops a caller's inputs that have not run yet: the worker skips them. */
    static void cancel(List<PendingInput> pending) {
        pending.forEach(p -> p.result.cancel(false));
    }

    private void runWorker() {
        List<PendingInput> waiting = new ArrayList<>();
        while (accepting || !incoming.isEmpty() || !waiting.isEmpty()) {
            try {
                if (waiting.isEmpty()) {
                    PendingInput first = incoming.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    waiting.add(first);
                }
                incoming.drainTo(waiting);
                waiting.removeIf(PendingInput::abandoned);
                if (!waiting.isEmpty()) {
                    runOneBatch(waiting);
                }
                listener.queueDepth(incoming.size() + waiting.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.error("Inference worker caught an unexpected error; it keeps running", e);
            }
        }
        waiting.forEach(p -> p.result.completeExceptionally(new NotReadyException("The service stopped.")));
    }

    private void runOneBatch(List<PendingInput> waiting) {
        int[] lengths = waiting.stream().mapToInt(p -> p.ids.length).toArray();
        List<Integer> chosen = BatchPlanner.next(lengths, limits.maxBatchTokens(), limits.maxBatchRequests());
        List<PendingInput> batch = new ArrayList<>(chosen.size());
        chosen.forEach(i -> batch.add(waiting.get(i)));
        waiting.removeAll(batch);
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

    /** False if the worker has died, or one batch has run longer than {@code hangAfter}. */
    public boolean workerHealthy(Duration hangAfter) {
        long started = batchStartedAt;
        boolean hung = started != 0 && System.nanoTime() - started > hangAfter.toNanos();
        return worker.isAlive() && !hung;
    }

    /** Inputs admitted and not yet answered. */
    public int inFlight() {
        return limits.maxConcurrentInputs() - admission.availablePermits();
    }

    /** Stops admitting work, lets the worker answer everything queued, then stops it. */
    @Override
    public void close() {
        admissionLock.writeLock().lock();
        try {
            accepting = false;
        } finally {
            admissionLock.writeLock().unlock();
        }
        try {
            worker.join(Duration.ofSeconds(60).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
