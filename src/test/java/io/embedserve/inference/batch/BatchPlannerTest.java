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
        // eight inputs of ~10 tokens padded to 128 would compute 8·128² attention pairs for 80 tokens
        int[] lengths = {10, 10, 10, 10, 10, 10, 128, 11, 9};
        List<Integer> chosen = BatchPlanner.next(lengths, 16384, 64);
        assertThat(chosen).doesNotContain(6).hasSize(8);
    }

    @Test
    void shortInputsJoinLongOnesWhenTheirPaddingAddsLittleWork() {
        // padding costs attention only: two short rows padded to 128 add 2·128² pairs, about 32
        // tokens of work, to a batch of 248 real tokens
        int[] longFirst = {128, 10, 10, 120};
        assertThat(BatchPlanner.next(longFirst, 16384, 64)).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void manyShortInputsDoNotJoinALongOne() {
        int[] longFirst = new int[33];
        java.util.Arrays.fill(longFirst, 8);
        longFirst[0] = 256;
        List<Integer> chosen = BatchPlanner.next(longFirst, 16384, 64);
        assertThat(chosen).contains(0).hasSizeLessThan(4);
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
