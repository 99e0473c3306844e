package io.embedserve.inference.batch;

import io.embedserve.inference.PooledEncoder;
import io.embedserve.inference.TokenizedInput;
import io.embedserve.inference.TruncationDirection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs batches of every shape class through the batch queue before the service reports ready, so
 * that the first requests do not pay for what a first run of a shape costs (kernels created for
 * new sizes, buffers first touched, the TorchScript executor's first runs, the JIT), on every
 * worker at once.
 */
public final class WarmUp {

    /** A batch of {@code sequences} inputs of {@code length} tokens. */
    public record Shape(int sequences, int length) {}

    private WarmUp() {}

    /**
     * The shapes to run: one sequence of each length (doubling from 8 up to max_seq_length), then
     * batches of each size (doubling up to the batch limits) of short sequences. What a first run
     * costs depends on the shape, not on the work in it, so the shapes are kept small: the warm-up
     * takes a few batches' time, not minutes.
     */
    public static List<Shape> plan(int maxSeqLength, BatchLimits limits) {
        List<Shape> shapes = new ArrayList<>();
        for (int length = 8; length < maxSeqLength; length *= 2) {
            shapes.add(new Shape(1, length));
        }
        shapes.add(new Shape(1, maxSeqLength));
        int shortLength = Math.min(16, maxSeqLength);
        int largest = Math.max(1, Math.min(limits.maxBatchRequests(), limits.maxBatchTokens() / shortLength));
        for (int sequences = 2; sequences < largest; sequences *= 2) {
            shapes.add(new Shape(sequences, shortLength));
        }
        if (largest > 1) {
            shapes.add(new Shape(largest, shortLength));
        }
        return shapes;
    }

    /**
     * Runs every shape of the plan on each of {@code workers} workers at once (one batch each).
     *
     * @param sample the token ids of any short text, special tokens included: the first and last
     *     ids frame each warm-up sequence, the second fills it
     * @return how long it took
     */
    public static Duration run(PooledEncoder queue, List<Shape> shapes, long[] sample, int workers) {
        long started = System.nanoTime();
        ExecutorService callers = Executors.newFixedThreadPool(workers, task -> {
            Thread thread = new Thread(task, "warm-up");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (Shape shape : shapes) {
                List<TokenizedInput> batch = batch(shape, sample);
                List<Future<?>> running = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    running.add(callers.submit(() -> queue.encode(batch)));
                }
                for (Future<?> future : running) {
                    future.get();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("warm-up interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } finally {
            callers.shutdownNow();
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    static List<TokenizedInput> batch(Shape shape, long[] sample) {
        long[] ids = new long[shape.length()];
        Arrays.fill(ids, sample.length > 2 ? sample[1] : sample[0]);
        ids[0] = sample[0];
        ids[ids.length - 1] = sample[sample.length - 1];
        List<TokenizedInput> batch = new ArrayList<>(shape.sequences());
        for (int i = 0; i < shape.sequences(); i++) {
            batch.add(new TokenizedInput("warm-up", ids, TruncationDirection.RIGHT, shape.length()));
        }
        return batch;
    }
}
