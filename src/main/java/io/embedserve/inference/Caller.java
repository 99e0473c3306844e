package io.embedserve.inference;

import io.embedserve.error.ClientGoneException;
import io.embedserve.error.RequestTimeoutException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * What the stages of a request know about the caller waiting on the current thread: whether its
 * client is still there (the transport binds a check for the length of one request) and the
 * deadline its admission set (REQUEST_TIMEOUT from the moment it was admitted). Every wait after
 * admission — for a tokenizer slot, for the batch queue — ends at that deadline or as soon as the
 * client has gone, and the caller then withdraws its work. Without a binding the caller is taken to
 * be present and without a deadline.
 */
public final class Caller {

    /**
     * How soon a waiting caller first checks that its client is still there. Each check wakes the
     * waiting thread and reads its socket, so it is kept rare next to a batch (tens of
     * milliseconds), yet short next to the waits worth saving under load (seconds).
     */
    private static final long FIRST_PRESENCE_CHECK_NANOS = Duration.ofMillis(100).toNanos();

    /**
     * The longest wait between two checks: each check waits twice as long as the one before, up to
     * this. Under a deep queue hundreds of callers wait for seconds each; checking all of them every
     * 100 ms woke a waiting thread thousands of times a second, and those wake-ups took CPU from the
     * inference workers (docs/PERFORMANCE.md, "Waiting callers").
     */
    private static final long LONGEST_PRESENCE_CHECK_NANOS = Duration.ofSeconds(1).toNanos();

    private static final ThreadLocal<BooleanSupplier> GONE_CHECK = new ThreadLocal<>();
    private static final ThreadLocal<Deadline> DEADLINE = new ThreadLocal<>();

    private Caller() {}

    /** The moment (System.nanoTime) a request's waits end, and the timeout it came from. */
    public record Deadline(long nanoTime, Duration timeout) {

        public static Deadline after(Duration timeout) {
            return new Deadline(System.nanoTime() + timeout.toNanos(), timeout);
        }

        public long remainingNanos() {
            return nanoTime - System.nanoTime();
        }

        /** The error a caller gets when its wait reaches the deadline. */
        public RequestTimeoutException expired() {
            return new RequestTimeoutException("No answer within " + timeout.toMillis()
                    + " ms (REQUEST_TIMEOUT): the model is too busy or stuck. Retry later.");
        }
    }

    /**
     * Binds {@code goneCheck} to the current thread until the returned binding is closed. The check
     * is only ever called on this thread, so it may touch state that belongs to the request.
     */
    public static Binding bindPresence(BooleanSupplier goneCheck) {
        return bind(GONE_CHECK, goneCheck);
    }

    /** Binds the deadline of the request admitted on the current thread. */
    static Binding bindDeadline(Deadline deadline) {
        return bind(DEADLINE, deadline);
    }

    private static <T> Binding bind(ThreadLocal<T> local, T value) {
        T previous = local.get();
        local.set(value);
        return () -> {
            if (previous == null) {
                local.remove();
            } else {
                local.set(previous);
            }
        };
    }

    /** How the current caller checks its client while it waits (never, when nothing is bound). */
    public static PresenceChecks presenceChecks() {
        return new PresenceChecks(GONE_CHECK.get());
    }

    /** The current caller's deadline, or {@code fallback} after {@code timeout} when none is bound. */
    public static Deadline deadlineOr(Duration timeout) {
        Deadline bound = DEADLINE.get();
        Deadline own = Deadline.after(timeout);
        return bound == null || bound.nanoTime() - own.nanoTime() > 0 ? own : bound;
    }

    /** Throws if the client has gone; cheap enough to call between units of work. */
    public static void requirePresent() {
        requirePresent(GONE_CHECK.get());
    }

    private static void requirePresent(BooleanSupplier goneCheck) {
        if (goneCheck != null && goneCheck.getAsBoolean()) {
            throw gone();
        }
    }

    public static ClientGoneException gone() {
        return new ClientGoneException("The client closed the connection before its inputs were computed.");
    }

    /**
     * One waiting caller's presence checks: the first after 100 ms, each next twice as long after the
     * last, never more than a second apart. Without a bound check the caller waits in one slice and
     * is never found gone. Used by one wait, on the waiting thread.
     */
    public static final class PresenceChecks {

        private final BooleanSupplier goneCheck;
        private long nextNanos = FIRST_PRESENCE_CHECK_NANOS;

        private PresenceChecks(BooleanSupplier goneCheck) {
            this.goneCheck = goneCheck;
        }

        /** How long to wait before the next check, at most {@code leftNanos}. */
        public long nextSliceNanos(long leftNanos) {
            if (goneCheck == null) {
                return leftNanos;
            }
            long slice = Math.min(leftNanos, nextNanos);
            nextNanos = Math.min(nextNanos * 2, LONGEST_PRESENCE_CHECK_NANOS);
            return slice;
        }

        /** Throws {@link ClientGoneException} if the client has gone. */
        public void requirePresent() {
            Caller.requirePresent(goneCheck);
        }
    }

    /** Ends a binding; closing does not throw. */
    @FunctionalInterface
    public interface Binding extends AutoCloseable {
        @Override
        void close();
    }
}
