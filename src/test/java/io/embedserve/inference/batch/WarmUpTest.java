package io.embedserve.inference.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The warm-up runs every shape of its plan on every worker before it returns. */
class WarmUpTest {

    @Test
    void planCoversEveryLengthClassAndEveryBatchSizeClassWithinTheLimits() {
        List<WarmUp.Shape> shapes = WarmUp.plan(128, new BatchLimits(16384, 64));
        assertThat(shapes).containsExactly(
                new WarmUp.Shape(1, 8), new WarmUp.Shape(1, 16), new WarmUp.Shape(1, 32), new WarmUp.Shape(1, 64),
                new WarmUp.Shape(1, 128), new WarmUp.Shape(2, 16), new WarmUp.Shape(4, 16), new WarmUp.Shape(8, 16),
                new WarmUp.Shape(16, 16), new WarmUp.Shape(32, 16), new WarmUp.Shape(64, 16));
        // a token budget smaller than the request cap bounds the batch: 100 tokens / 16 = 6 sequences
        assertThat(WarmUp.plan(20, new BatchLimits(100, 64))).contains(new WarmUp.Shape(6, 16))
                .allSatisfy(shape -> assertThat((long) shape.sequences() * shape.length()).isLessThanOrEqualTo(100));
    }

    @Test
    void everyShapeRunsOnEveryWorker() {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (BatchQueue queue = new BatchQueue(sequences -> {
            seen.add(Thread.currentThread().getName() + " " + sequences.size() + "x" + sequences.get(0).length);
            try {
                Thread.sleep(20); // long enough that the two callers' batches land on both workers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new float[sequences.size()][1];
        }, new BatchLimits(1024, 1), 2, BatchListener.NONE, BatchQueue.DEFAULT_REQUEST_TIMEOUT, death -> { },
                BatchQueue.DEFAULT_HANG_AFTER)) {
            List<WarmUp.Shape> shapes = List.of(new WarmUp.Shape(1, 8), new WarmUp.Shape(1, 32));
            WarmUp.run(queue, shapes, new long[] {101, 7, 102}, 2);
        }
        assertThat(seen).containsExactlyInAnyOrder(
                "inference-worker-1 1x8", "inference-worker-2 1x8", "inference-worker-1 1x32", "inference-worker-2 1x32");
    }

    @Test
    void warmUpSequencesKeepTheSpecialTokensAtTheirEnds() {
        List<io.embedserve.inference.TokenizedInput> batch = WarmUp.batch(new WarmUp.Shape(3, 5), new long[] {101, 7, 102});
        assertThat(batch).hasSize(3).allSatisfy(input -> assertThat(input.ids()).containsExactly(101, 7, 7, 7, 102));
    }

}
