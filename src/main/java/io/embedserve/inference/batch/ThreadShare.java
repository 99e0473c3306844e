package io.embedserve.inference.batch;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The CPUs the inference workers share. A worker that starts a batch while the others are idle may
 * use them all; while several run batches, each uses its own share. Under load every worker runs
 * single-threaded, which costs far less CPU per request than threads that meet at a barrier after
 * every operator; a lone request still gets every core, so one client waits as little as with one
 * many-threaded worker (docs/PERFORMANCE.md, "Threads and workers").
 *
 * <p>The thread count is a property of the calling thread in PyTorch's OpenMP backend, so it is
 * set on the worker's own thread, before its batch, and only when it changes. A worker that began
 * alone keeps its threads until its batch ends even if another begins meanwhile: for those
 * milliseconds the CPUs are oversubscribed, which is cheaper than stopping a batch halfway.
 */
public final class ThreadShare {

    private final int cpus;
    private final int threadsPerWorker;
    private final IntConsumer useThreadsOnThisThread;
    private final AtomicInteger busy = new AtomicInteger();

    /**
     * @param cpus the CPUs all workers share
     * @param threadsPerWorker each worker's threads when every worker is busy
     * @param useThreadsOnThisThread sets the intra-op threads of the calling thread
     */
    public ThreadShare(int cpus, int threadsPerWorker, IntConsumer useThreadsOnThisThread) {
        this.cpus = Math.max(1, cpus);
        this.threadsPerWorker = Math.max(1, threadsPerWorker);
        this.useThreadsOnThisThread = useThreadsOnThisThread;
    }

    /** Each worker keeps the threads it was started with: for tests and models without threads. */
    public static ThreadShare fixed() {
        return new ThreadShare(1, 1, threads -> {});
    }

    /** A worker's view: which thread count its thread has now. */
    final class Seat {
        private int current = -1;

        /** Before a batch: the threads this batch may use, applied to the calling thread. */
        int begin() {
            int running = busy.incrementAndGet();
            int threads = Math.max(threadsPerWorker, cpus / running);
            if (threads != current) {
                useThreadsOnThisThread.accept(threads);
                current = threads;
            }
            return threads;
        }

        /** After the batch, whatever it did. */
        void end() {
            busy.decrementAndGet();
        }
    }

    Seat seat() {
        return new Seat();
    }
}
