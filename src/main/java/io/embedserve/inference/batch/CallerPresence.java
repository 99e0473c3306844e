package io.embedserve.inference.batch;

import java.util.function.BooleanSupplier;

/**
 * Whether the caller waiting on the current thread is still there to receive its answer. The
 * transport binds a check for the length of one request; the batch queue asks it while that
 * request waits and withdraws the request's inputs once the caller has gone, so the worker never
 * computes them. Without a binding the caller is taken to be present.
 */
public final class CallerPresence {

    private static final ThreadLocal<BooleanSupplier> GONE_CHECK = new ThreadLocal<>();

    private CallerPresence() {}

    /**
     * Binds {@code goneCheck} to the current thread until the returned binding is closed. The check
     * is only ever called on this thread, so it may touch state that belongs to the request.
     */
    public static Binding bind(BooleanSupplier goneCheck) {
        BooleanSupplier previous = GONE_CHECK.get();
        GONE_CHECK.set(goneCheck);
        return () -> {
            if (previous == null) {
                GONE_CHECK.remove();
            } else {
                GONE_CHECK.set(previous);
            }
        };
    }

    /** The current thread's check, or null when nothing is bound. */
    static BooleanSupplier current() {
        return GONE_CHECK.get();
    }

    /** Ends a binding; closing does not throw. */
    @FunctionalInterface
    public interface Binding extends AutoCloseable {
        @Override
        void close();
    }
}
