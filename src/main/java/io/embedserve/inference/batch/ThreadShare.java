package io.embedserve.inference.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The CPUs the inference workers share. Under load every worker runs single-threaded, which costs
 * far less CPU per request than threads that meet at a barrier after every operator; a lone batch
 * still gets every core, so one client waits as little as with one many-threaded worker
 * (docs/PERFORMANCE.md, "Threads and workers").
 *
 * <p>Only one worker of a queue, its lead, ever runs a batch on more than its share, and the
 * others leave a batch to the lead while it is idle. The reason is OpenMP's waiting: each thread
 * that runs a many-threaded batch keeps its own pool of helper threads, and once the process holds
 * more such threads than CPUs, libgomp stops spinning at its barriers (GOMP_SPINCOUNT no longer
 * applies), so every operator of a lone batch has to wake a sleeping helper. With one widening
 * worker per queue, a process serving one model keeps its helpers within the CPUs and they spin as
 * configured. A reranker beside it has a lead of its own, and then the helpers sleep again; that
 * was measured to cost no throughput, so the queues do not share one lead (docs/PERFORMANCE.md,
 * "One connection: where the time goes").
 *
 * <p>A batch widens only when nothing else is waiting and no other worker is running. The thread
 * count is a property of the calling thread in PyTorch's OpenMP backend, so it is set on the
 * worker's own thread, before its batch, and only when it changes. A lead that began alone keeps
 * its threads until its batch ends even if another worker begins meanwhile: for those milliseconds
 * the CPUs are oversubscribed, which is cheaper than stopping a batch halfway.
 */
public final class ThreadShare {

    private final int cpus;
    private final int threadsPerWorker;
    private final IntConsumer useThreadsOnThisThread;
    private final AtomicInteger running = new AtomicInteger();

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

    /** The seats of one queue's {@code workers}; the first is the lead. */
    List<Seat> seats(int workers) {
        List<Seat> seats = new ArrayList<>(workers);
        Seat lead = new Seat(null);
        seats.add(lead);
        for (int i = 1; i < workers; i++) {
            seats.add(new Seat(lead));
        }
        return seats;
    }

    /** A worker's view: whether it may take a batch now, and the threads its batch runs on. */
    final class Seat {
        private final Seat lead; // null for the lead itself
        private volatile boolean busy; // from taking a batch until its end
        private boolean widen;
        private int current = -1;

        private Seat(Seat lead) {
            this.lead = lead;
        }

        /**
         * True unless a lone batch could widen and this worker should leave it to its idle lead.
         * Asked under the lock of the waiting inputs.
         */
        boolean mayTake() {
            return lead == null || cpus <= threadsPerWorker || lead.busy;
        }

        /** This worker took a batch (under the same lock); {@code othersLeft}: inputs still wait. */
        void took(boolean othersLeft) {
            busy = true;
            int others = running.getAndIncrement();
            widen = lead == null && !othersLeft && others == 0;
        }

        /** Before the batch, on the worker's thread: the threads it may use, applied to that thread. */
        int begin() {
            int threads = widen ? Math.max(threadsPerWorker, cpus / running.get()) : threadsPerWorker;
            if (threads != current) {
                useThreadsOnThisThread.accept(threads);
                current = threads;
            }
            return threads;
        }

        /** After the batch, whatever it did. */
        void end() {
            running.decrementAndGet();
            busy = false;
        }
    }
}
