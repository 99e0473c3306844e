package io.embedserve.inference.batch;

import io.embedserve.error.NotReadyException;
import io.embedserve.error.OverloadedException;
import io.embedserve.inference.Admission;
import io.embedserve.inference.PooledEncoder;
import io.embedserve.inference.PooledVectors;
import io.embedserve.inference.TokenizedInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Dynamic batching (TEI's queue): callers on any thread hand in tokenized inputs and wait; one
 * worker thread owns the model and merges whatever is waiting into batches under a token budget.
 * Admission is counted per input, as TEI counts it; past the limit the caller gets 429 at once.
 * A caller whose client goes away ({@link CallerPresence}), who is interrupted, or whose inputs
 * are not computed within the request timeout withdraws its inputs, and the worker skips them; so
 * no caller ever waits past its deadline, whatever the model does. If the worker itself cannot go
 * on ({@link InferenceWorker#run}), or one batch has held it longer than any real batch could
 * (stuck in native code, which no interrupt reaches), the queue stops accepting, fails everything
 * queued, and tells the listener and the {@code onWorkerDeath} hook (which restarts the process:
 * Docker never restarts a container that is merely unhealthy, so a stuck worker must exit).
 */
public final class BatchQueue implements PooledEncoder, Admission, AutoCloseable {

    /**
     * How often a waiting caller checks that its client is still there. Each check wakes the
     * waiting thread, so it is kept rare next to a batch (tens of milliseconds), yet short next to
     * the queue waits worth saving under load (seconds).
     */
    static final Duration PRESENCE_CHECK_INTERVAL = Duration.ofMillis(100);
    /** REQUEST_TIMEOUT's default. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /**
     * A batch running longer than this means a stuck worker. The largest batch the defaults allow
     * (64 × 128 tokens) takes seconds on the default model's shape here (docs/PERFORMANCE.md);
     * two minutes leaves a wide margin for a slow or throttled CPU.
     */
    public static final Duration DEFAULT_HANG_AFTER = Duration.ofMinutes(2);

    private final BatchLimits limits;
    private final BatchListener listener;
    private final Duration requestTimeout;
    private final Consumer<Throwable> onWorkerDeath;
    private final Duration hangAfter;
    private final AtomicBoolean declaredDead = new AtomicBoolean();
    private final Semaphore admission;
    private final LinkedBlockingQueue<PendingInput> incoming = new LinkedBlockingQueue<>();
    /** Inputs enqueued and not yet taken into a batch or dropped: the queue-depth metric. */
    private final AtomicInteger queued = new AtomicInteger();
    private final InferenceWorker worker;
    private final Thread workerThread;
    /** Callers enqueue under the read lock; close() flips {@code accepting} under the write lock. */
    private final ReadWriteLock admissionLock = new ReentrantReadWriteLock();
    private volatile boolean accepting = true;
    private volatile Throwable workerDeath;

    /** With the default request timeout, and a worker death that only fails the waiting callers. */
    public BatchQueue(Function<List<long[]>, float[][]> model, BatchLimits limits, BatchListener listener) {
        this(model, limits, listener, DEFAULT_REQUEST_TIMEOUT, death -> { }, DEFAULT_HANG_AFTER);
    }

    /**
     * @param model runs one batch as given and returns one vector per sequence, in order
     * @param requestTimeout the longest a caller waits for its inputs (REQUEST_TIMEOUT)
     * @param onWorkerDeath called once, after the worker stopped for good (or got stuck) and every
     *     queued caller was failed; the service exits there so that it is restarted
     * @param hangAfter how long one batch may run before the worker counts as stuck
     */
    public BatchQueue(Function<List<long[]>, float[][]> model, BatchLimits limits, BatchListener listener,
            Duration requestTimeout, Consumer<Throwable> onWorkerDeath, Duration hangAfter) {
        this.limits = limits;
        this.listener = listener;
        this.requestTimeout = requestTimeout;
        this.onWorkerDeath = onWorkerDeath;
        this.hangAfter = hangAfter;
        this.admission = new Semaphore(limits.maxConcurrentInputs());
        this.worker = new InferenceWorker(model, limits, listener, incoming, queued, () -> accepting);
        this.workerThread = new Thread(this::runWorker, "inference-worker");
        this.workerThread.setDaemon(true);
        listener.workerRunning(true);
        this.workerThread.start();
        Thread watchdog = new Thread(this::watchForAStuckBatch, "inference-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private void runWorker() {
        Throwable death = worker.run();
        if (death != null) {
            declareDead(death);
        }
    }

    /** Ends with the worker; checks a few times per hang limit, at most once a second. */
    private void watchForAStuckBatch() {
        long checkMillis = Math.max(1, Math.min(1000, hangAfter.toMillis() / 4));
        try {
            while (workerThread.isAlive() && !declaredDead.get()) {
                if (worker.busyLongerThan(hangAfter)) {
                    declareDead(new IllegalStateException("one batch has held the inference worker for over "
                            + hangAfter + "; it is stuck"));
                    return;
                }
                Thread.sleep(checkMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Once: stop accepting, fail everything queued, report it, and let the hook restart the process. */
    private void declareDead(Throwable death) {
        if (!declaredDead.compareAndSet(false, true)) {
            return;
        }
        workerDeath = death;
        stopAccepting();
        listener.workerRunning(false);
        List<PendingInput> stranded = new ArrayList<>();
        incoming.drainTo(stranded);
        stranded.forEach(p -> p.result.completeExceptionally(
                new NotReadyException("The inference worker stopped; the service is restarting.", death)));
        listener.queueDepth(queued.addAndGet(-stranded.size()));
        onWorkerDeath.accept(death);
    }

    @Override
    public PooledVectors encode(List<TokenizedInput> inputs) {
        try (Permit ignored = admit(inputs.size())) {
            return CallerWait.awaitAll(enqueue(inputs), requestTimeout);
        }
    }

    @Override
    public Permit admit(int inputs) {
        if (!admission.tryAcquire(inputs)) {
            throw new OverloadedException("Model is overloaded: more than " + limits.maxConcurrentInputs()
                    + " inputs in flight (max-concurrent-requests). Retry later.");
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                admission.release(inputs);
            }
        };
    }

    private List<PendingInput> enqueue(List<TokenizedInput> inputs) {
        List<PendingInput> pending = new ArrayList<>(inputs.size());
        for (TokenizedInput input : inputs) {
            pending.add(new PendingInput(input.ids()));
        }
        admissionLock.readLock().lock();
        try {
            if (!accepting) {
                throw new NotReadyException(workerDeath == null
                        ? "The service is shutting down and accepts no new work."
                        : "The inference worker stopped; the service is restarting.");
            }
            queued.addAndGet(pending.size()); // before the worker can see them, so it never goes negative
            incoming.addAll(pending);
        } finally {
            admissionLock.readLock().unlock();
        }
        listener.queueDepth(queued.get());
        return pending;
    }

    /** False if the worker has died or is stuck: the liveness check. */
    public boolean workerHealthy() {
        return workerHealthy(hangAfter);
    }

    /** False if the worker has died, or one batch has run longer than {@code hangAfter}. */
    public boolean workerHealthy(Duration hangAfter) {
        return workerDeath == null && workerThread.isAlive() && !worker.busyLongerThan(hangAfter);
    }

    private void stopAccepting() {
        admissionLock.writeLock().lock();
        try {
            accepting = false;
        } finally {
            admissionLock.writeLock().unlock();
        }
    }

    /** Inputs admitted and not yet answered. */
    public int inFlight() {
        return limits.maxConcurrentInputs() - admission.availablePermits();
    }

    /** Stops admitting work, lets the worker answer everything queued, then stops it. */
    @Override
    public void close() {
        stopAccepting();
        try {
            workerThread.join(Duration.ofSeconds(60).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
