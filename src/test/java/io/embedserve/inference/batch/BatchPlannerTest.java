package io.embedserve.inference.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
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
    void paddingStaysWithinATenthOfTheComputedTokens() {
        // 17 would make 11 of 88 tokens padding (12.5%), 25 15 of 100: both are left for a later batch
        int[] lengths = {20, 18, 22, 17, 25, 30};
        assertThat(BatchPlanner.next(lengths, 16384, 64)).containsExactlyInAnyOrder(0, 1, 2);
        Random random = new Random(3);
        for (int queue = 0; queue < 1000; queue++) {
            int[] waiting = random.ints(1 + random.nextInt(40), 1, 257).toArray();
            List<Integer> chosen = BatchPlanner.next(waiting, 16384, 64);
            long padded = (long) chosen.stream().mapToInt(i -> waiting[i]).max().orElseThrow() * chosen.size();
            long real = chosen.stream().mapToLong(i -> waiting[i]).sum();
            assertThat(padded - real).as("padding of %s", chosen).isLessThanOrEqualTo((long) (0.10 * padded));
        }
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
