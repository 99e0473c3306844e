package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How often a waiting caller looks for its client. */
class CallerTest {

    @Test
    void presenceChecksBeginAfterATenthOfASecondAndDoubleUpToASecond() {
        Caller.PresenceChecks checks = new Caller.PresenceChecks();
        List<Long> slices = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            slices.add(TimeUnit.NANOSECONDS.toMillis(checks.nextSliceNanos(Long.MAX_VALUE)));
        }
        assertThat(slices).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L, 1000L);
    }

    @Test
    void aSliceNeverOutlastsWhatIsLeftOfTheWait() {
        Caller.PresenceChecks checks = new Caller.PresenceChecks();
        assertThat(checks.nextSliceNanos(TimeUnit.MILLISECONDS.toNanos(30))).isEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        assertThat(checks.nextSliceNanos(TimeUnit.SECONDS.toNanos(5))).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    }
}
