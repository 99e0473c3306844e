package io.embedserve.inference.batch;

import io.embedserve.error.NotReadyException;
import io.embedserve.inference.Caller;
import io.embedserve.inference.PairScorer;
import io.embedserve.inference.PooledEncoder;
import io.embedserve.inference.PooledVectors;
import io.embedserve.inference.TokenizedInput;
import io.embedserve.inference.TokenizedPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Dynamic batching (TEI's queue): callers on any thread hand in tokenized inputs and wait; the
 * inference workers share the model and one set of waiting inputs, and each idle worker merges
 * whatever is waiting into its next batch under a token budget. Admission happened before the
 * queue ({@link io.embedserve.inference.Admission}); the queue itself has no limit of its own.
 * A caller whose client goes away, who is interrupted, or whose inputs are not computed by its
 * deadline ({@link Caller}) withdraws its inputs, and the workers skip them; so no caller ever
 * waits past its deadline, whatever the model does. If a worker cannot go on
 * ({@link InferenceWorker#run}), or one batch has held a worker longer than any real batch could
 * (stuck in native code, which no interrupt reaches), the queue stops accepting, fails everything
 * queued, and tells the listener and the {@code onWorkerDeath} hook (which restarts the process:
 * Docker never restarts a container that is merely unhealthy, so a stuck worker must exit).
 *
 * <p>One queue serves one model: a sentence encoder's inputs ({@link #encode}) or a cross-encoder's
 * pairs ({@link #score}), which carry their token type ids through the queue to the model.
 */
public final class BatchQueue implements PooledEncoder, PairScorer, AutoCloseable {

    /** REQUEST_TIMEOUT's default. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /**
     * A batch running longer than this means a stuck worker. The largest batch the defaults allow
     * (64 × 128 tokens) takes seconds on the default model's shape (docs/PERFORMANCE.md); two
     * minutes leaves a wide margin for a slow or throttled CPU.
     */
    public static final Duration DEFAULT_HANG_AFTER = Duration.ofMinutes(2);

    private final BatchListener listener;
    private final Duration requestTimeout;
    private final Consumer<Throwable> onWorkerDeath;
    private final Duration hangAfter;
    private final AtomicBoolean declaredDead = new AtomicBoolean();
    private final LinkedBlockingQueue<PendingInput> incoming = new LinkedBlockingQueue<>();
    /** Inputs enqueued and not yet taken into a batch or dropped: the queue-depth metric. */
    private final AtomicInteger queued = new AtomicInteger();
    /** Inputs handed in whose callers have not left yet (answered, failed or withdrawn). */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final WaitingInputs waiting;
    private final List<InferenceWorker> workers = new ArrayList<>();
    private final List<Thread> workerThreads = new ArrayList<>();
    /** Callers enqueue under the read lock; close() flips {@code accepting} under the write lock. */
    private final ReadWriteLock admissionLock = new ReentrantReadWriteLock();
    private volatile boolean accepting = true;
    private volatile Throwable workerDeath;

    /** One worker, the default request timeout, and a worker death that only fails the waiting callers. */
    public BatchQueue(Function<List<long[]>, float[][]> model, BatchLimits limits, BatchListener listener) {
        this(model, limits, 1, listener, DEFAULT_REQUEST_TIMEOUT, death -> { }, DEFAULT_HANG_AFTER);
    }

    /**
     * @param model runs one batch as given and returns one vector per sequence, in order; called
     *     by several workers at once when {@code workerCount} > 1
     * @param workerCount inference workers (INFERENCE_WORKERS), each its own thread
     * @param requestTimeout the longest a caller without a deadline of its own waits (REQUEST_TIMEOUT)
     * @param onWorkerDeath called once, after a worker stopped for good (or got stuck) and every
     *     queued caller was failed; the service exits there so that it is restarted
     * @param hangAfter how long one batch may run before its worker counts as stuck
     */
    public BatchQueue(Function<List<long[]>, float[][]> model, BatchLimits limits, int workerCount,
            BatchListener listener, Duration requestTimeout, Consumer<Throwable> onWorkerDeath, Duration hangAfter) {
        this(BatchModel.ofIds(model), limits, workerCount, listener, requestTimeout, onWorkerDeath, hangAfter);
    }

    /** As above, for a model that also reads token type ids (a cross-encoder). */
    public BatchQueue(BatchModel model, BatchLimits limits, int workerCount,
            BatchListener listener, Duration requestTimeout, Consumer<Throwable> onWorkerDeath, Duration hangAfter) {
        this(model, limits, workerCount, ThreadShare.fixed(), listener, requestTimeout, onWorkerDeath, hangAfter);
    }

    /**
     * As above, with the CPUs the workers share ({@code threads}): the first worker, the lead, runs a
     * batch that is the only work on all of them; otherwise each worker uses its share.
     */
    public BatchQueue(BatchModel model, BatchLimits limits, int workerCount, ThreadShare threads,
            BatchListener listener, Duration requestTimeout, Consumer<Throwable> onWorkerDeath, Duration hangAfter) {
        if (workerCount < 1) {
            throw new IllegalArgumentException("at least one inference worker is needed, got " + workerCount);
        }
        this.listener = listener;
        this.requestTimeout = requestTimeout;
        this.onWorkerDeath = onWorkerDeath;
        this.hangAfter = hangAfter;
        this.waiting = new WaitingInputs(incoming, queued, limits, listener, () -> accepting);
        listener.workerRunning(true);
        List<ThreadShare.Seat> seats = threads.seats(workerCount);
        for (int i = 1; i <= workerCount; i++) {
            InferenceWorker worker = new InferenceWorker(model, waiting, listener, seats.get(i - 1));
            Thread thread = new Thread(() -> runWorker(worker), "inference-worker-" + i);
            thread.setDaemon(true);
            workers.add(worker);
            workerThreads.add(thread);
        }
        workerThreads.forEach(Thread::start);
        Thread watchdog = new Thread(this::watchForAStuckBatch, "inference-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private void runWorker(InferenceWorker worker) {
        Throwable death = worker.run();
        if (death != null) {
            declareDead(death);
        }
    }

    /** Ends with the workers; checks a few times per hang limit, at most once a second. */
    private void watchForAStuckBatch() {
        long checkMillis = Math.max(1, Math.min(1000, hangAfter.toMillis() / 4));
        try {
            while (workerThreads.stream().anyMatch(Thread::isAlive) && !declaredDead.get()) {
                if (workers.stream().anyMatch(w -> w.busyLongerThan(hangAfter))) {
                    declareDead(new IllegalStateException("one batch has held an inference worker for over "
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
        waiting.drain().forEach(p -> p.result.completeExceptionally(
                new NotReadyException("The inference worker stopped; the service is restarting.", death)));
        onWorkerDeath.accept(death);
    }

    @Override
    public PooledVectors encode(List<TokenizedInput> inputs) {
        List<PendingInput> pending = new ArrayList<>(inputs.size());
        for (TokenizedInput input : inputs) {
            pending.add(new PendingInput(input.ids(), null));
        }
        return awaitAll(pending);
    }

    /** Queues a cross-encoder's pairs, token type ids and all; one vector (the logits) per pair, in order. */
    @Override
    public PooledVectors score(List<TokenizedPair> pairs) {
        List<PendingInput> pending = new ArrayList<>(pairs.size());
        for (TokenizedPair pair : pairs) {
            pending.add(new PendingInput(pair.ids(), pair.typeIds()));
        }
        return awaitAll(pending);
    }

    private PooledVectors awaitAll(List<PendingInput> pending) {
        Caller.Deadline deadline = Caller.deadlineOr(requestTimeout);
        inFlight.addAndGet(pending.size());
        try {
            enqueue(pending);
            return CallerWait.awaitAll(pending, deadline);
        } finally {
            inFlight.addAndGet(-pending.size());
        }
    }

    /** Inputs handed to the queue whose callers are still waiting: queued or running. */
    public int inFlight() {
        return inFlight.get();
    }

    private void enqueue(List<PendingInput> pending) {
        admissionLock.readLock().lock();
        try {
            if (!accepting) {
                throw new NotReadyException(workerDeath == null
                        ? "The service is shutting down and accepts no new work."
                        : "The inference worker stopped; the service is restarting.");
            }
            queued.addAndGet(pending.size()); // before a worker can see them, so it never goes negative
            incoming.addAll(pending);
        } finally {
            admissionLock.readLock().unlock();
        }
        listener.queueDepth(queued.get());
    }

    /** False if a worker has died or is stuck: the liveness check. */
    public boolean workerHealthy() {
        return workerHealthy(hangAfter);
    }

    /** False if a worker has died, or one batch has run longer than {@code hangAfter}. */
    public boolean workerHealthy(Duration hangAfter) {
        return workerDeath == null && workerThreads.stream().allMatch(Thread::isAlive)
                && workers.stream().noneMatch(w -> w.busyLongerThan(hangAfter));
    }

    /** Inference workers sharing the queue. */
    public int workerCount() {
        return workers.size();
    }

    private void stopAccepting() {
        admissionLock.writeLock().lock();
        try {
            accepting = false;
        } finally {
            admissionLock.writeLock().unlock();
        }
    }

    /** Stops admitting work, lets the workers answer everything queued, then stops them. */
    @Override
    public void close() {
        stopAccepting();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try {
            for (Thread thread : workerThreads) {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
