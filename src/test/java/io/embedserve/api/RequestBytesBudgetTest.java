package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.OverloadedException;
import org.junit.jupiter.api.Test;

class RequestBytesBudgetTest {

    @Test
    void sharesAreTakenWhileTheyFitAndComeBackOnce() {
        RequestBytesBudget budget = new RequestBytesBudget(10 * 1024);
        RequestBytesBudget.Share first = budget.take(6 * 1024);
        assertThatThrownBy(() -> budget.take(5 * 1024)).isInstanceOf(OverloadedException.class)
                .hasMessageContaining("MAX_REQUEST_BYTES_IN_FLIGHT");
        RequestBytesBudget.Share second = budget.take(4 * 1024);
        assertThat(budget.inFlight()).isEqualTo(10 * 1024);
        first.close();
        first.close();
        assertThat(budget.inFlight()).isEqualTo(4 * 1024);
        second.close();
        assertThat(budget.inFlight()).isZero();
    }

    @Test
    void aBodyLargerThanTheWholeBudgetTakesAllOfItRatherThanNeverFitting() {
        RequestBytesBudget budget = new RequestBytesBudget(4096);
        try (RequestBytesBudget.Share all = budget.take(1 << 20)) {
            assertThat(budget.inFlight()).isEqualTo(4096);
        }
    }

    @Test
    void theDefaultIsASixtyFourthOfTheHeapButNeverLessThanOnePayload() {
        long gib = 1L << 30;
        assertThat(RequestBytesBudget.defaultCapacity(gib, 2_000_000)).isEqualTo(gib / 64);
        assertThat(RequestBytesBudget.defaultCapacity(64L << 20, 2_000_000)).isEqualTo(2_000_000);
    }
}
