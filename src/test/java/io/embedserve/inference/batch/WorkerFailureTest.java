package io.embedserve.inference.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.InferenceException;
import io.embedserve.error.NotReadyException;
import io.embedserve.error.RequestTimeoutException;
import io.embedserve.inference.Caller;
import io.embedserve.inference.PooledVectors;
import io.embedserve.inference.TokenizedInput;
import io.embedserve.inference.TruncationDirection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whatever the model does (throws an Error, runs out of memory, never returns), no caller waits
 * past its deadline. Bounds on waiting ({@code get(30, SECONDS)}) are only there so that a broken
 * queue fails the test instead of hanging the build; nothing here measures time.
 */
class WorkerFailureTest {

    static final Duration TIMEOUT = Duration.ofMillis(500);

    final ExecutorService clients = Executors.newFixedThreadPool(16);
    final CountDownLatch never = new CountDownLatch(1);
    final CompletableFuture<Throwable> death = new CompletableFuture<>();
    final AtomicBoolean workerUp = new AtomicBoolean();
    BatchQueue queue;

    @AfterEach
    void stop() {
        never.countDown();
        if (queue != null) {
            queue.close();
        }
        clients.shutdownNow();
    }

    BatchQueue queue(Function<List<long[]>, float[][]> model, int maxBatchRequests) {
        return queue(model, maxBatchRequests, BatchQueue.DEFAULT_HANG_AFTER);
    }

    BatchQueue queue(Function<List<long[]>, float[][]> model, int maxBatchRequests, Duration hangAfter) {
        BatchListener listener = new BatchListener() {
            @Override
            public void batchCompleted(int inputs, long paddedTokens, long inferenceNanos) {}

            @Override
            public void queueDepth(int waitingInputs) {}

            @Override
            public void inputsDropped(int inputs) {}

            @Override
            public void workerRunning(boolean running) {
                workerUp.set(running);
            }
        };
        queue = new BatchQueue(model, new BatchLimits(1024, maxBatchRequests), 1, listener, TIMEOUT, death::complete,
                hangAfter);
        return queue;
    }

    /** Ids starting with 1 compute; 2 throws a plain Error; 3 runs out of memory; 4 never returns. */
    Function<List<long[]>, float[][]> model() {
        return sequences -> {
            long first = sequences.get(0)[0];
            if (first == 2) {
                throw new AssertionError("a native failure surfacing as an Error");
            }
            if (first == 3) {
                throw new OutOfMemoryError("Java heap space");
            }
            if (first == 4) {
                awaitQuietly(never);
            }
            float[][] out = new float[sequences.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = new float[] {sequences.get(i)[0], sequences.get(i).length};
            }
            return out;
        };
    }

    static TokenizedInput input(long... ids) {
        return new TokenizedInput(null, ids, TruncationDirection.RIGHT, 512);
    }

    Future<PooledVectors> call(long... ids) {
        return clients.submit(() -> queue.encode(List.of(input(ids))));
    }

    static Throwable failureOf(Future<PooledVectors> caller) throws Exception {
        try {
            caller.get(30, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void anErrorThrownInsideABatchFailsThatBatchAndTheWorkerGoesOn() throws Exception {
        queue(model(), 1);

        assertThat(failureOf(call(2, 7))).isInstanceOf(InferenceException.class)
                .hasRootCauseInstanceOf(AssertionError.class);
        assertThat(call(1, 5).get(30, TimeUnit.SECONDS).vectors()[0]).containsExactly(1f, 2f);
        assertThat(queue.workerHealthy(Duration.ofMinutes(1))).isTrue();
        assertThat(workerUp).isTrue();
        assertThat(death).isNotDone();
        assertThat(queue.inFlight()).isZero();
    }

    @Test
    void anOutOfMemoryErrorFailsEveryWaitingCallerStopsTheWorkerAndReportsItsDeath() throws Exception {
        queue(model(), 1);
        Future<PooledVectors> stuck = call(4); // holds the worker while the others queue up
        awaitWorkerBusy();
        List<Future<PooledVectors>> queued = new ArrayList<>();
        Future<PooledVectors> dying = call(3);
        awaitInFlight(2);
        for (int i = 0; i < 5; i++) {
            queued.add(call(1, i));
        }
        awaitInFlight(7);
        never.countDown(); // 4 returns; then 3 runs out of memory with five callers behind it

        assertThat(stuck.get(30, TimeUnit.SECONDS).vectors()[0][0]).isEqualTo(4f);
        assertThat(failureOf(dying)).isInstanceOf(InferenceException.class).hasCauseInstanceOf(OutOfMemoryError.class);
        for (Future<PooledVectors> caller : queued) {
            assertThat(failureOf(caller)).isInstanceOf(NotReadyException.class);
        }
        assertThat(death.get(30, TimeUnit.SECONDS)).isInstanceOf(OutOfMemoryError.class);
        assertThat(workerUp).as("the worker-up gauge").isFalse();
        assertThat(queue.workerHealthy(Duration.ofMinutes(1))).as("liveness").isFalse();
        assertThatThrownBy(() -> queue.encode(List.of(input(1, 1)))).isInstanceOf(NotReadyException.class)
                .hasMessageContaining("inference worker stopped");
        assertThat(queue.inFlight()).isZero();
    }

    @Test
    void aWorkerThatNeverReturnsLeavesNoCallerWaitingPastItsDeadline() throws Exception {
        queue(model(), 1);
        List<Future<PooledVectors>> callers = new ArrayList<>();
        callers.add(call(4));
        awaitWorkerBusy();
        for (int i = 0; i < 6; i++) {
            callers.add(call(1, i));
        }
        AtomicReference<Throwable> withPresence = new AtomicReference<>();
        Future<?> bound = clients.submit(() -> {
            try (Caller.Binding ignored = Caller.bindPresence(() -> false)) {
                queue.encode(List.of(input(1, 99)));
            } catch (RuntimeException e) {
                withPresence.set(e);
            }
        });

        for (Future<PooledVectors> caller : callers) {
            assertThat(failureOf(caller)).isInstanceOf(RequestTimeoutException.class)
                    .hasMessageContaining("REQUEST_TIMEOUT");
        }
        bound.get(30, TimeUnit.SECONDS);
        assertThat(withPresence.get()).isInstanceOf(RequestTimeoutException.class);
        assertThat(queue.inFlight()).as("every caller has left").isZero();
        assertThat(queue.workerHealthy(TIMEOUT)).as("liveness sees the hung batch").isFalse();
        assertThat(death).as("not declared dead before the hang limit").isNotDone();
    }

    @Test
    void aBatchStuckPastTheHangLimitDeclaresTheWorkerDeadSoThatTheProcessRestarts() throws Exception {
        queue(model(), 1, Duration.ofMillis(300));
        Future<PooledVectors> stuck = call(4);
        awaitWorkerBusy();
        List<Future<PooledVectors>> queued = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            queued.add(call(1, i));
        }

        assertThat(death.get(30, TimeUnit.SECONDS)).hasMessageContaining("stuck");
        assertThat(workerUp).as("the worker-up gauge").isFalse();
        assertThat(queue.workerHealthy()).as("liveness").isFalse();
        assertThatThrownBy(() -> queue.encode(List.of(input(1, 1)))).isInstanceOf(NotReadyException.class)
                .hasMessageContaining("inference worker stopped");
        queued.add(stuck);
        for (Future<PooledVectors> caller : queued) {
            // Queued callers are failed at once; one already taken into the worker's hands waits
            // out its own deadline. Either way nobody waits past REQUEST_TIMEOUT.
            assertThat(failureOf(caller)).isInstanceOfAny(NotReadyException.class, RequestTimeoutException.class);
        }
        assertThat(queue.inFlight()).isZero();
    }

    void awaitWorkerBusy() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (queue.workerHealthy(Duration.ZERO) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(queue.workerHealthy(Duration.ZERO)).as("the worker holds a batch").isFalse();
    }

    void awaitInFlight(int inputs) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (queue.inFlight() < inputs && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(queue.inFlight()).isGreaterThanOrEqualTo(inputs);
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
