package io.embedserve.inference.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The inputs waiting for a worker, shared by every worker: an idle worker takes the next batch
 * from them ({@link BatchPlanner}), so that the workers between them keep every core busy from one
 * queue, and an input is never split between workers' private queues. While the lead worker is idle
 * the others leave the work to it, since only the lead may run a lone batch on every core
 * ({@link ThreadShare}). Inputs whose caller has gone or whose answer is already given are dropped
 * before they are planned.
 */
final class WaitingInputs {

    private static final long POLL_MILLIS = 100;

    private final BlockingQueue<PendingInput> incoming;
    private final AtomicInteger queued;
    private final BatchLimits limits;
    private final BatchListener listener;
    private final BooleanSupplier accepting;
    private final List<PendingInput> waiting = new ArrayList<>();

    WaitingInputs(BlockingQueue<PendingInput> incoming, AtomicInteger queued, BatchLimits limits,
            BatchListener listener, BooleanSupplier accepting) {
        this.incoming = incoming;
        this.queued = queued;
        this.limits = limits;
        this.listener = listener;
        this.accepting = accepting;
    }

    /**
     * The next batch for the worker in {@code seat}, taken out of the waiting inputs; blocks while
     * nothing waits, and while the seat must leave the work to its idle lead ({@link
     * ThreadShare.Seat#mayTake}). Returns null once the queue no longer accepts work and nothing is
     * left: the worker then stops.
     */
    synchronized List<PendingInput> nextBatch(ThreadShare.Seat seat) throws InterruptedException {
        while (true) {
            incoming.drainTo(waiting);
            dropAbandoned();
            if (!waiting.isEmpty()) {
                if (seat.mayTake()) {
                    List<PendingInput> batch = takeBatch();
                    seat.took(!waiting.isEmpty() || !incoming.isEmpty());
                    notifyAll(); // a worker that left the work to the lead may take what is left
                    return batch;
                }
                wait(POLL_MILLIS); // lets the lead in; it takes the batch and wakes this worker
                continue;
            }
            if (!accepting.getAsBoolean() && incoming.isEmpty()) {
                return null;
            }
            PendingInput first = incoming.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            if (first != null) {
                waiting.add(first);
            }
        }
    }

    private void dropAbandoned() {
        int before = waiting.size();
        waiting.removeIf(PendingInput::abandoned);
        int dropped = before - waiting.size();
        if (dropped > 0) {
            leftQueue(dropped);
            listener.inputsDropped(dropped);
        }
    }

    private List<PendingInput> takeBatch() {
        int[] lengths = waiting.stream().mapToInt(p -> p.ids.length).toArray();
        List<Integer> chosen = BatchPlanner.next(lengths, limits.maxBatchTokens(), limits.maxBatchRequests());
        List<PendingInput> batch = new ArrayList<>(chosen.size());
        chosen.forEach(i -> batch.add(waiting.get(i)));
        waiting.removeAll(batch);
        leftQueue(batch.size());
        return batch;
    }

    /** Takes everything still waiting, for a worker that stops for good and must answer it. */
    synchronized List<PendingInput> drain() {
        incoming.drainTo(waiting);
        List<PendingInput> all = new ArrayList<>(waiting);
        waiting.clear();
        leftQueue(all.size());
        return all;
    }

    private void leftQueue(int inputs) {
        listener.queueDepth(queued.addAndGet(-inputs));
    }
}
