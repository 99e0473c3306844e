package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.ClientGoneException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** How often a waiting caller looks for its client. */
class CallerTest {

    @Test
    void presenceChecksBeginAfterATenthOfASecondAndDoubleUpToASecond() {
        Caller.PresenceChecks checks = boundChecks(() -> false);
        List<Long> slices = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            slices.add(TimeUnit.NANOSECONDS.toMillis(checks.nextSliceNanos(Long.MAX_VALUE)));
        }
        assertThat(slices).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L, 1000L);
    }

    @Test
    void aSliceNeverOutlastsWhatIsLeftOfTheWait() {
        Caller.PresenceChecks checks = boundChecks(() -> false);
        assertThat(checks.nextSliceNanos(TimeUnit.MILLISECONDS.toNanos(30))).isEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        assertThat(checks.nextSliceNanos(TimeUnit.SECONDS.toNanos(5))).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void withoutABoundCheckTheCallerWaitsInOneSliceAndIsNeverGone() {
        Caller.PresenceChecks checks = Caller.presenceChecks();
        assertThat(checks.nextSliceNanos(TimeUnit.SECONDS.toNanos(60))).isEqualTo(TimeUnit.SECONDS.toNanos(60));
        checks.requirePresent();
    }

    @Test
    void aCallerWhoseClientHasGoneIsToldSo() {
        AtomicBoolean gone = new AtomicBoolean();
        Caller.PresenceChecks checks = boundChecks(gone::get);
        checks.requirePresent();
        gone.set(true);
        assertThatThrownBy(checks::requirePresent).isInstanceOf(ClientGoneException.class);
    }

    /** Checks taken while {@code goneCheck} is bound; they keep it after the binding ends. */
    private static Caller.PresenceChecks boundChecks(BooleanSupplier goneCheck) {
        try (Caller.Binding bound = Caller.bindPresence(goneCheck)) {
            return Caller.presenceChecks();
        }
    }
}
