package io.embedserve.config;

import io.embedserve.inference.ModelHolder;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that run the native tokenizer (every tokenize and decode goes through them). On
 * shutdown the pool is drained before the model, and so its tokenizer, is closed: the bean takes
 * the {@link ModelHolder}, so Spring destroys the pool first. A tokenization still running after
 * the drain timeout keeps the model open (it is detached instead of closed): freeing the native
 * tokenizer under a running call would crash the JVM instead of letting it exit.
 */
final class TokenizerPool implements Executor, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TokenizerPool.class);
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final ExecutorService threads;
    private final ModelHolder holder;
    private final Duration drainTimeout;

    TokenizerPool(int size, ModelHolder holder, Duration drainTimeout) {
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(size, task -> {
            Thread thread = new Thread(task, "tokenizer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.holder = holder;
        this.drainTimeout = drainTimeout;
    }

    @Override
    public void execute(Runnable task) {
        threads.execute(task);
    }

    /** Returns once every tokenization has finished, or the drain timeout has passed. */
    @Override
    public void close() {
        threads.shutdown();
        boolean drained;
        try {
            drained = threads.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        if (!drained) {
            log.error("Tokenization still running {} s into shutdown; the model is left open for it", drainTimeout.toSeconds());
            holder.detach();
        }
    }
}
