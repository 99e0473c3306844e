package io.embedserve.inference;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokenizer stage: at most TOKENIZATION_WORKERS tokenizations run at once, each on the thread of
 * the request it belongs to (no hand-off to another thread and back). A request waits for a slot
 * no longer than its deadline and leaves as soon as its client has gone ({@link Caller}), so a
 * flood of long texts cannot make tokenizing compete with inference for more CPUs than the limit,
 * nor keep admitted requests waiting past REQUEST_TIMEOUT.
 *
 * <p>On shutdown every slot is taken back before the model, and with it the native tokenizer, is
 * closed: freeing the tokenizer under a running call would crash the JVM instead of letting it exit.
 * A tokenization still running after the drain timeout keeps the model open ({@code onStuck}).
 */
public final class TokenizerSlots implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TokenizerSlots.class);
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final int size;
    private final Semaphore slots;
    private final Duration fallbackTimeout;
    private final Duration drainTimeout;
    private final Runnable onStuck;

    /**
     * @param size tokenizations at once
     * @param fallbackTimeout the longest wait for a slot when the caller has no deadline bound
     * @param onStuck what to do when a tokenization is still running after the drain timeout
     */
    public TokenizerSlots(int size, Duration fallbackTimeout, Duration drainTimeout, Runnable onStuck) {
        this.size = size;
        this.slots = new Semaphore(size, true);
        this.fallbackTimeout = fallbackTimeout;
        this.drainTimeout = drainTimeout;
        this.onStuck = onStuck;
    }

    /** For tools and tests: one slot per CPU, a long wait, nothing to do on a stuck drain. */
    public static TokenizerSlots unbounded() {
        return new TokenizerSlots(Runtime.getRuntime().availableProcessors(), Duration.ofDays(1), DRAIN_TIMEOUT, () -> { });
    }

    /** Runs {@code work} on this thread once a slot is free. */
    public <T> T run(Supplier<T> work) {
        acquire();
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }

    private void acquire() {
        Caller.Deadline deadline = Caller.deadlineOr(fallbackTimeout);
        Caller.PresenceChecks checks = Caller.presenceChecks();
        try {
            while (true) {
                long left = deadline.remainingNanos();
                if (left <= 0) {
                    throw deadline.expired();
                }
                long slice = checks.nextSliceNanos(left);
                if (slots.tryAcquire(slice, TimeUnit.NANOSECONDS)) {
                    return;
                }
                checks.requirePresent();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Caller.gone();
        }
    }

    /** Tokenizations running or waiting for a slot right now. */
    public int busy() {
        return size - slots.availablePermits() + slots.getQueueLength();
    }

    /** Returns once every tokenization has finished, or the drain timeout has passed. */
    @Override
    public void close() {
        boolean drained;
        try {
            drained = slots.tryAcquire(size, drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        if (!drained) {
            log.error("Tokenization still running {} s into shutdown; the model is left open for it",
                    drainTimeout.toSeconds());
            onStuck.run();
        }
    }
}
