package io.embedserve.inference;

import io.embedserve.error.OverloadedException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The first step of every request that does work for a client: it takes one permit per input
 * (MAX_CONCURRENT_REQUESTS, counted per input as TEI counts it) before any tokenization, cache
 * lookup or queueing, and past the limit answers 429 at once — a refusal that costs nothing and
 * arrives in microseconds, whatever the queue holds. An admitted request gets its deadline here
 * (REQUEST_TIMEOUT from now), which every later wait on the same thread honours ({@link Caller}).
 */
public final class Admission {

    private final int limit;
    private final Semaphore permits;
    private final Duration requestTimeout;

    /**
     * @param limit inputs admitted at once
     * @param requestTimeout how long an admitted request may wait in all, for tokenizing and the model
     */
    public Admission(int limit, Duration requestTimeout) {
        if (limit < 1) {
            throw new IllegalArgumentException("the admission limit must be at least 1, got " + limit);
        }
        this.limit = limit;
        this.permits = new Semaphore(limit);
        this.requestTimeout = requestTimeout;
    }

    /** No limit and a long deadline: for tools and tests that run the pipeline without a server. */
    public static Admission unlimited() {
        return new Admission(Integer.MAX_VALUE, Duration.ofDays(1));
    }

    /**
     * Admits {@code inputs} inputs on the current thread, or throws OverloadedException (429) at
     * once. Close the returned request to give the permits back; closing twice returns them once.
     */
    public Admitted admit(int inputs) {
        if (!permits.tryAcquire(inputs)) {
            throw new OverloadedException("Model is overloaded: more than " + limit
                    + " inputs in flight (max-concurrent-requests). Retry later.");
        }
        return new Admitted(inputs, Caller.Deadline.after(requestTimeout));
    }

    /** Inputs admitted and not yet answered. */
    public int inFlight() {
        return limit - permits.availablePermits();
    }

    public int limit() {
        return limit;
    }

    /** An admitted request: its permits, and its deadline bound to the admitting thread. */
    public final class Admitted implements AutoCloseable {

        private final int inputs;
        private final Caller.Deadline deadline;
        private final Caller.Binding binding;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Admitted(int inputs, Caller.Deadline deadline) {
            this.inputs = inputs;
            this.deadline = deadline;
            this.binding = Caller.bindDeadline(deadline);
        }

        public Caller.Deadline deadline() {
            return deadline;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                binding.close();
                permits.release(inputs);
            }
        }
    }
}
