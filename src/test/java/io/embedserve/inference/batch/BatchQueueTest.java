package io.embedserve.inference.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.ClientGoneException;
import io.embedserve.error.InferenceException;
import io.embedserve.error.NotReadyException;
import io.embedserve.inference.Caller;
import io.embedserve.inference.PooledVectors;
import io.embedserve.inference.TokenizedInput;
import io.embedserve.inference.TokenizedPair;
import io.embedserve.inference.TruncationDirection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue with a fake model whose vector for a sequence is (sum of ids, length). */
class BatchQueueTest {

    final List<List<long[]>> batches = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    final ExecutorService clients = Executors.newFixedThreadPool(80);
    volatile boolean gate = false;
    BatchQueue queue;

    Function<List<long[]>, float[][]> fakeModel() {
        return sequences -> {
            if (gate) {
                await(release);
            }
            batches.add(sequences);
            float[][] out = new float[sequences.size()][];
            for (int i = 0; i < out.length; i++) {
                long[] ids = sequences.get(i);
                if (ids[0] == 666) {
                    throw new IllegalStateException("poison");
                }
                out[i] = new float[] {java.util.Arrays.stream(ids).sum(), ids.length};
            }
            return out;
        };
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static TokenizedInput input(long... ids) {
        return new TokenizedInput(null, ids, TruncationDirection.RIGHT, 512);
    }

    static long[] idsOf(int seed, int length) {
        long[] ids = new long[length];
        for (int i = 0; i < length; i++) {
            ids[i] = seed * 1000L + i;
        }
        return ids;
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (queue != null) {
            queue.close();
        }
        clients.shutdownNow();
    }

    @Test
    void everyCallerGetsItsOwnVectorsUnderConcurrency() throws Exception {
        queue = new BatchQueue(fakeModel(), new BatchLimits(256, 32), BatchListener.NONE);
        List<Future<PooledVectors>> futures = new ArrayList<>();
        for (int c = 0; c < 64; c++) {
            int client = c;
            futures.add(clients.submit(() -> queue.encode(List.of(input(idsOf(client, 1 + client % 17)), input(idsOf(client + 100, 3))))));
        }
        for (int c = 0; c < 64; c++) {
            float[][] vectors = futures.get(c).get(10, TimeUnit.SECONDS).vectors();
            long[] first = idsOf(c, 1 + c % 17);
            assertThat(vectors[0]).containsExactly(java.util.Arrays.stream(first).sum(), first.length);
            assertThat(vectors[1][0]).isEqualTo(java.util.Arrays.stream(idsOf(c + 100, 3)).sum());
        }
        int computed = batches.stream().mapToInt(List::size).sum();
        assertThat(computed).as("each input computed exactly once").isEqualTo(128);
    }

    @Test
    void concurrentRequestsAreMergedWithinTheTokenBudget() throws Exception {
        gate = true;
        queue = new BatchQueue(fakeModel(), new BatchLimits(64, 32), BatchListener.NONE);
        List<Future<PooledVectors>> futures = new ArrayList<>();
        futures.add(clients.submit(() -> queue.encode(List.of(input(idsOf(0, 4))))));
        Thread.sleep(200); // the worker now holds the first batch at the gate
        for (int c = 1; c <= 30; c++) {
            int client = c;
            futures.add(clients.submit(() -> queue.encode(List.of(input(idsOf(client, 2 + client % 5))))));
        }
        Thread.sleep(300);
        release.countDown();
        for (Future<PooledVectors> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertThat(batches.stream().mapToInt(List::size).max().orElseThrow()).isGreaterThan(1);
        for (List<long[]> batch : batches) {
            int longest = batch.stream().mapToInt(s -> s.length).max().orElseThrow();
            assertThat((long) longest * batch.size()).isLessThanOrEqualTo(64);
        }
    }

    @Test
    void twoWorkersRunBatchesSideBySideFromOneQueue() throws Exception {
        CountDownLatch firstHeld = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<String> ranOn = new CopyOnWriteArrayList<>();
        queue = new BatchQueue(sequences -> {
            ranOn.add(Thread.currentThread().getName());
            if (sequences.get(0)[0] == 1) {
                firstHeld.countDown();
                await(releaseFirst);
            }
            return new float[][] {{sequences.get(0)[0]}};
        }, new BatchLimits(64, 1), 2, BatchListener.NONE, BatchQueue.DEFAULT_REQUEST_TIMEOUT, death -> { },
                BatchQueue.DEFAULT_HANG_AFTER);
        assertThat(queue.workerCount()).isEqualTo(2);
        Future<PooledVectors> held = clients.submit(() -> queue.encode(List.of(input(1))));
        assertThat(firstHeld.await(10, TimeUnit.SECONDS)).isTrue();
        // While one worker holds its batch, the other answers the next caller.
        assertThat(queue.encode(List.of(input(2))).vectors()[0][0]).isEqualTo(2f);
        releaseFirst.countDown();
        assertThat(held.get(10, TimeUnit.SECONDS).vectors()[0][0]).isEqualTo(1f);
        assertThat(ranOn).hasSize(2).doesNotHaveDuplicates();
        assertThat(queue.workerHealthy()).isTrue();
    }

    /**
     * One client at a time: every batch goes to the lead, on every CPU, however many workers wait
     * (only one worker per queue widens; see ThreadShare). Two at a time: the other worker takes the
     * second batch while the lead is busy.
     */
    @Test
    void loneBatchesGoToTheLeadOnEveryCpuAndTheOthersHelpUnderLoad() throws Exception {
        List<String> ranOn = new CopyOnWriteArrayList<>();
        List<Integer> threadCounts = new CopyOnWriteArrayList<>();
        CountDownLatch firstHeld = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        ThreadLocal<Integer> threadsOfThisWorker = new ThreadLocal<>();
        ThreadShare share = new ThreadShare(2, 1, threadsOfThisWorker::set);
        queue = new BatchQueue(BatchModel.ofIds(sequences -> {
            ranOn.add(Thread.currentThread().getName());
            threadCounts.add(threadsOfThisWorker.get());
            if (sequences.get(0)[0] == 1000) {
                firstHeld.countDown();
                await(releaseFirst);
            }
            return new float[][] {{sequences.get(0)[0]}};
        }), new BatchLimits(64, 1), 2, share, BatchListener.NONE, BatchQueue.DEFAULT_REQUEST_TIMEOUT, death -> { },
                BatchQueue.DEFAULT_HANG_AFTER);
        for (int i = 0; i < 20; i++) {
            assertThat(queue.encode(List.of(input(i))).vectors()[0][0]).isEqualTo(i);
        }
        assertThat(ranOn).as("one client: every batch on the lead").hasSize(20).containsOnly("inference-worker-1");
        assertThat(threadCounts).as("on both CPUs").containsOnly(2);

        Future<PooledVectors> held = clients.submit(() -> queue.encode(List.of(input(1000))));
        assertThat(firstHeld.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(queue.encode(List.of(input(2000))).vectors()[0][0]).isEqualTo(2000f);
        releaseFirst.countDown();
        assertThat(held.get(10, TimeUnit.SECONDS).vectors()[0][0]).isEqualTo(1000f);
        assertThat(ranOn.subList(20, 22)).as("two clients: the other worker takes the second batch")
                .containsExactly("inference-worker-1", "inference-worker-2");
        assertThat(threadCounts.get(21)).as("beside the busy lead, its own share").isEqualTo(1);
    }

    @Test
    void aCallersWaitEndsAtTheDeadlineItWasAdmittedWith() throws Exception {
        gate = true;
        queue = new BatchQueue(fakeModel(), new BatchLimits(64, 1), BatchListener.NONE);
        Future<PooledVectors> first = clients.submit(() -> queue.encode(List.of(input(1))));
        Thread.sleep(200);
        io.embedserve.inference.Admission admission = new io.embedserve.inference.Admission(10, Duration.ofMillis(300));
        long started = System.nanoTime();
        try (io.embedserve.inference.Admission.Admitted admitted = admission.admit(1)) {
            assertThatThrownBy(() -> queue.encode(List.of(input(999))))
                    .isInstanceOf(io.embedserve.error.RequestTimeoutException.class);
        }
        // the queue's own timeout is 60 s; the admitted deadline, 300 ms, is what ended the wait
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        assertThat(batches).noneMatch(b -> b.get(0)[0] == 999);
    }

    @Test
    void abandonedInputsAreNotComputed() throws Exception {
        gate = true;
        queue = new BatchQueue(fakeModel(), new BatchLimits(64, 1), BatchListener.NONE);
        Future<PooledVectors> first = clients.submit(() -> queue.encode(List.of(input(1))));
        Thread.sleep(200);
        Future<PooledVectors> gone = clients.submit(() -> queue.encode(List.of(input(777))));
        Thread.sleep(200);
        gone.cancel(true); // interrupts the waiting caller, which withdraws its input
        Thread.sleep(100);
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        queue.encode(List.of(input(2)));
        assertThat(batches).noneMatch(b -> b.get(0)[0] == 777);
    }

    @Test
    void aCallerWhoseClientHasGoneIsDroppedBeforeItsInputsAreComputed() throws Exception {
        gate = true;
        AtomicInteger dropped = new AtomicInteger();
        queue = new BatchQueue(fakeModel(), new BatchLimits(64, 1), droppedInto(dropped));
        Future<PooledVectors> first = clients.submit(() -> queue.encode(List.of(input(1))));
        Thread.sleep(200);
        AtomicBoolean clientGone = new AtomicBoolean();
        Future<PooledVectors> leaving = clients.submit(() -> {
            try (Caller.Binding bound = Caller.bindPresence(clientGone::get)) {
                return queue.encode(List.of(input(777), input(778)));
            }
        });
        Thread.sleep(200);
        clientGone.set(true);
        assertThatThrownBy(() -> leaving.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ClientGoneException.class);
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        queue.encode(List.of(input(2)));
        assertThat(batches).noneMatch(b -> b.get(0)[0] == 777 || b.get(0)[0] == 778);
        assertThat(dropped).hasValue(2);
    }

    @Test
    void aCallerThatStaysIsAnsweredHoweverLongItWaits() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        Future<PooledVectors> waiting = waitBehindTheGate(checks);
        Thread.sleep(800); // checks at 0.1, 0.3 and 0.7 s
        release.countDown();
        assertThat(waiting.get(10, TimeUnit.SECONDS).vectors()[0]).containsExactly(11f, 2f);
        assertThat(checks.get()).as("presence was checked while waiting").isGreaterThanOrEqualTo(2);
    }

    @Test
    void aLongWaitChecksPresenceEverMoreRarely() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        Future<PooledVectors> waiting = waitBehindTheGate(checks);
        // Checks at 0.1, 0.3, 0.7, 1.5 and 2.5 s; one every 100 ms would have made 30.
        Thread.sleep(3_000);
        release.countDown();
        waiting.get(10, TimeUnit.SECONDS);
        assertThat(checks.get()).isBetween(3, 7);
    }

    /** A caller that stays, counting its presence checks, waits until {@link #release} opens. */
    private Future<PooledVectors> waitBehindTheGate(AtomicInteger checks) {
        gate = true;
        queue = new BatchQueue(fakeModel(), new BatchLimits(64, 1), BatchListener.NONE);
        return clients.submit(() -> {
            try (Caller.Binding bound = Caller.bindPresence(() -> checks.incrementAndGet() < 0)) {
                return queue.encode(List.of(input(5, 6)));
            }
        });
    }

    @Test
    void queueDepthCountsEveryInputNotYetTakenIntoABatch() throws Exception {
        java.util.concurrent.Semaphore batchesAllowed = new java.util.concurrent.Semaphore(0);
        AtomicInteger depth = new AtomicInteger(-1);
        BatchListener recording = new BatchListener() {
            @Override
            public void batchCompleted(int inputs, long paddedTokens, long inferenceNanos) {}

            @Override
            public void queueDepth(int waitingInputs) {
                depth.set(waitingInputs);
            }

            @Override
            public void inputsDropped(int inputs) {}
        };
        queue = new BatchQueue(sequences -> {
            batchesAllowed.acquireUninterruptibly();
            return fakeModel().apply(sequences);
        }, new BatchLimits(64, 1), recording);
        List<Future<PooledVectors>> callers = new ArrayList<>();
        callers.add(clients.submit(() -> queue.encode(List.of(input(1))))); // taken at once, held
        Thread.sleep(200);
        callers.add(clients.submit(() -> queue.encode(List.of(input(2)))));
        callers.add(clients.submit(() -> queue.encode(List.of(input(3)))));
        Thread.sleep(200);
        assertThat(depth).hasValue(2);
        batchesAllowed.release(); // the worker finishes 1, takes 2 and holds it; 3 still waits
        Thread.sleep(200);
        assertThat(depth).hasValue(1);
        callers.add(clients.submit(() -> queue.encode(List.of(input(4)))));
        Thread.sleep(200);
        assertThat(depth).as("3 and 4 wait").hasValue(2);
        batchesAllowed.release(3);
        for (Future<PooledVectors> caller : callers) {
            caller.get(10, TimeUnit.SECONDS);
        }
        assertThat(depth).hasValue(0);
    }

    static BatchListener droppedInto(AtomicInteger dropped) {
        return new BatchListener() {
            @Override
            public void batchCompleted(int inputs, long paddedTokens, long inferenceNanos) {}

            @Override
            public void queueDepth(int waitingInputs) {}

            @Override
            public void inputsDropped(int inputs) {
                dropped.addAndGet(inputs);
            }
        };
    }

    @Test
    void aFailingBatchFailsOnlyItsCallers() {
        queue = new BatchQueue(fakeModel(), new BatchLimits(64, 32), BatchListener.NONE);
        assertThatThrownBy(() -> queue.encode(List.of(input(666)))).isInstanceOf(InferenceException.class);
        assertThat(queue.encode(List.of(input(4))).vectors()[0][0]).isEqualTo(4f);
        assertThat(queue.workerHealthy(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void closeAnswersEveryQueuedRequestThenRefusesNewOnes() throws Exception {
        gate = true;
        queue = new BatchQueue(fakeModel(), new BatchLimits(64, 2), BatchListener.NONE);
        List<Future<PooledVectors>> inFlight = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            int client = c;
            inFlight.add(clients.submit(() -> queue.encode(List.of(input(idsOf(client, 3))))));
        }
        Thread.sleep(200);
        Future<?> closing = clients.submit(queue::close);
        Thread.sleep(100);
        release.countDown();
        for (Future<PooledVectors> f : inFlight) {
            assertThat(f.get(10, TimeUnit.SECONDS).vectors()).hasDimensions(1, 2);
        }
        closing.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> queue.encode(List.of(input(1)))).isInstanceOf(NotReadyException.class);
    }

    @Test
    void livenessReportsAHungWorker() throws Exception {
        gate = true;
        queue = new BatchQueue(fakeModel(), new BatchLimits(64, 2), BatchListener.NONE);
        clients.submit(() -> queue.encode(List.of(input(1))));
        Thread.sleep(300);
        assertThat(queue.workerHealthy(Duration.ofMillis(100))).isFalse();
        release.countDown();
    }

    @Test
    void pairsReachTheModelWithTheirOwnTokenTypeIds() throws Exception {
        List<List<long[]>> typeIdsSeen = new CopyOnWriteArrayList<>();
        queue = new BatchQueue((ids, typeIds) -> {
            typeIdsSeen.add(typeIds);
            float[][] out = new float[ids.size()][];
            for (int i = 0; i < out.length; i++) {
                // (sum of the ids of type 1, length): which tokens are the second text's
                long second = 0;
                for (int t = 0; t < ids.get(i).length; t++) {
                    second += typeIds.get(i)[t] == 1 ? ids.get(i)[t] : 0;
                }
                out[i] = new float[] {second, ids.get(i).length};
            }
            return out;
        }, new BatchLimits(64, 8), 1, BatchListener.NONE, Duration.ofSeconds(10), death -> { }, Duration.ofMinutes(1));
        TokenizedPair first = new TokenizedPair(new long[] {1, 5, 2, 7, 2}, new long[] {0, 0, 0, 1, 1}, 5);
        TokenizedPair second = new TokenizedPair(new long[] {1, 6, 2, 8, 9}, new long[] {0, 0, 0, 1, 1}, 5);
        float[][] logits = queue.score(List.of(first, second)).vectors();
        assertThat(logits[0]).containsExactly(9f, 5f);
        assertThat(logits[1]).containsExactly(17f, 5f);
        assertThat(typeIdsSeen.stream().flatMap(List::stream).toList()).containsExactly(first.typeIds(), second.typeIds());
    }

    @Test
    void sentenceInputsCarryNoTokenTypeIds() {
        List<List<long[]>> typeIdsSeen = new CopyOnWriteArrayList<>();
        queue = new BatchQueue((ids, typeIds) -> {
            typeIdsSeen.add(typeIds);
            return new float[][] {{ids.get(0).length}};
        }, new BatchLimits(64, 8), 1, BatchListener.NONE, Duration.ofSeconds(10), death -> { }, Duration.ofMinutes(1));
        assertThat(queue.encode(List.of(input(3, 4, 5))).vectors()[0]).containsExactly(3f);
        assertThat(typeIdsSeen.get(0)).containsExactly((long[]) null);
    }
}
