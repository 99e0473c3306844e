package io.embedserve.inference.batch;

import io.embedserve.error.ClientGoneException;
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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Dynamic batching (TEI's queue): callers on any thread hand in tokenized inputs and wait; one
 * worker thread owns the model and merges whatever is waiting into batches under a token budget.
 * Admission is counted per input, as TEI counts it; past the limit the caller gets 429 at once.
 * A caller whose client goes away ({@link CallerPresence}) or who is interrupted withdraws its
 * inputs, and the worker skips them.
 */
public final class BatchQueue implements PooledEncoder, AutoCloseable {

    /**
     * How often a waiting caller checks that its client is still there. Each check wakes the
     * waiting thread, so it is kept rare next to a batch (tens of milliseconds), yet short next to
     * the queue waits worth saving under load (seconds).
     */
    static final Duration PRESENCE_CHECK_INTERVAL = Duration.ofMillis(100);

    private final BatchLimits limits;
    private final BatchListener listener;
    private final Semaphore admission;
    private final LinkedBlockingQueue<PendingInput> incoming = new LinkedBlockingQueue<>();
    /** Inputs enqueued and not yet taken into a batch or dropped: the queue-depth metric. */
    private final AtomicInteger queued = new AtomicInteger();
    private final InferenceWorker worker;
    private final Thread workerThread;
    /** Callers enqueue under the read lock; close() flips {@code accepting} under the write lock. */
    private final ReadWriteLock admissionLock = new ReentrantReadWriteLock();
    private volatile boolean accepting = true;

    /**
     * @param model runs one batch as given and returns one vector per sequence, in order
     */
    public BatchQueue(Function<List<long[]>, float[][]> model, BatchLimits limits, BatchListener listener) {
        this.limits = limits;
        this.listener = listener;
        this.admission = new Semaphore(limits.maxConcurrentInputs());
        this.worker = new InferenceWorker(model, limits, listener, incoming, queued, () -> accepting);
        this.workerThread = new Thread(worker::run, "inference-worker");
        this.workerThread.setDaemon(true);
        this.workerThread.start();
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
            queued.addAndGet(pending.size()); // before the worker can see them, so it never goes negative
            incoming.addAll(pending);
        } finally {
            admissionLock.readLock().unlock();
        }
        listener.queueDepth(queued.get());
        return pending;
    }

    private PooledVectors awaitAll(List<PendingInput> pending) {
        float[][] vectors = new float[pending.size()][];
        long queue = 0;
        long inference = 0;
        BooleanSupplier callerGone = CallerPresence.current();
        try {
            for (int i = 0; i < vectors.length; i++) {
                PendingInput input = pending.get(i);
                vectors[i] = await(input, callerGone);
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
        } catch (ClientGoneException e) {
            cancel(pending);
            throw e;
        } catch (CancellationException e) {
            throw new InferenceException("The request was cancelled", e);
        }
    }

    private static float[] await(PendingInput input, BooleanSupplier callerGone)
            throws InterruptedException, ExecutionException {
        if (callerGone == null) {
            return input.result.get();
        }
        while (true) {
            try {
                return input.result.get(PRESENCE_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillWaiting) {
                if (callerGone.getAsBoolean()) {
                    throw new ClientGoneException("The client closed the connection before its inputs were computed.");
                }
            }
        }
    }

    /** Drops a caller's inputs that have not run yet: the worker skips them. */
    static void cancel(List<PendingInput> pending) {
        pending.forEach(p -> p.result.cancel(false));
    }

    /** False if the worker has died, or one batch has run longer than {@code hangAfter}. */
    public boolean workerHealthy(Duration hangAfter) {
        return workerThread.isAlive() && !worker.busyLongerThan(hangAfter);
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
            workerThread.join(Duration.ofSeconds(60).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
