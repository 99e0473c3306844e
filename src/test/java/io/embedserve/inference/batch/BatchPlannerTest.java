package io.embedserve.inference.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {

    @Test
    void oldestInputIsAlwaysTaken() {
        assertThat(BatchPlanner.next(new int[] {500, 3, 3}, 100, 32)).containsExactly(0);
    }

    @Test
    void paddedTokenBudgetIsNeverExceeded() {
        int[] lengths = {10, 12, 40, 11, 9, 50, 10};
        List<Integer> chosen = BatchPlanner.next(lengths, 50, 32);
        int longest = chosen.stream().mapToInt(i -> lengths[i]).max().orElseThrow();
        assertThat((long) longest * chosen.size()).isLessThanOrEqualTo(50);
        assertThat(chosen).contains(0);
    }

    @Test
    void similarLengthsAreGroupedTogether() {
        int[] lengths = {10, 100, 11, 99, 9};
        assertThat(BatchPlanner.next(lengths, 40, 32)).containsExactlyInAnyOrder(0, 2, 4);
    }

    @Test
    void aLongInputDoesNotJoinABatchOfShortOnes() {
        int[] lengths = {10, 10, 10, 10, 10, 10, 128, 11, 9};
        List<Integer> chosen = BatchPlanner.next(lengths, 16384, 64);
        assertThat(chosen).doesNotContain(6).hasSize(8);
        int[] longFirst = {128, 10, 10, 120};
        assertThat(BatchPlanner.next(longFirst, 16384, 64)).containsExactlyInAnyOrder(0, 3);
    }

    @Test
    void requestCapLimitsTheBatch() {
        assertThat(BatchPlanner.next(new int[] {5, 5, 5, 5, 5}, 10_000, 3)).hasSize(3);
    }

    @Test
    void emptyQueueGivesNoBatch() {
        assertThat(BatchPlanner.next(new int[0], 100, 3)).isEmpty();
    }
}
