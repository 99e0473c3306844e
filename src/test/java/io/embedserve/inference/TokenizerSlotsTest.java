package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.ClientGoneException;
import io.embedserve.error.RequestTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tokenizer stage: a bounded number of slots, waits that honour the caller's deadline and presence. */
class TokenizerSlotsTest {

    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch holding = new CountDownLatch(1);
    Thread holder;

    /** Takes the only slot on another thread until {@link #release} opens. */
    void holdTheOnlySlot(TokenizerSlots slots) throws InterruptedException {
        holder = new Thread(() -> slots.run(() -> {
            holding.countDown();
            try {
                return release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return false;
            }
        }));
        holder.start();
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @AfterEach
    void letGo() throws InterruptedException {
        release.countDown();
        if (holder != null) {
            holder.join();
        }
    }

    @Test
    void aWaitForASlotEndsAtTheDeadlineTheRequestWasAdmittedWith() throws Exception {
        TokenizerSlots slots = new TokenizerSlots(1, Duration.ofMinutes(5), Duration.ofSeconds(1), () -> { });
        holdTheOnlySlot(slots);
        Admission admission = new Admission(10, Duration.ofMillis(200));
        try (Admission.Admitted admitted = admission.admit(1)) {
            assertThatThrownBy(() -> slots.run(() -> "never")).isInstanceOf(RequestTimeoutException.class)
                    .hasMessageContaining("200 ms");
        }
    }

    @Test
    void aWaitForASlotEndsWhenTheClientHasGone() throws Exception {
        TokenizerSlots slots = new TokenizerSlots(1, Duration.ofMinutes(5), Duration.ofSeconds(1), () -> { });
        holdTheOnlySlot(slots);
        AtomicBoolean gone = new AtomicBoolean();
        Thread leave = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            gone.set(true);
        });
        leave.start();
        try (Caller.Binding bound = Caller.bindPresence(gone::get)) {
            assertThatThrownBy(() -> slots.run(() -> "never")).isInstanceOf(ClientGoneException.class);
        }
        leave.join();
    }

    @Test
    void aFreeSlotRunsTheWorkOnTheCallersOwnThread() {
        TokenizerSlots slots = new TokenizerSlots(2, Duration.ofSeconds(5), Duration.ofSeconds(1), () -> { });
        Thread caller = Thread.currentThread();
        assertThat(slots.run(() -> Thread.currentThread() == caller)).isTrue();
        assertThat(slots.busy()).isZero();
    }

    @Test
    void closeGivesUpOnATokenizationThatOutlastsTheDrainAndKeepsTheModelOpen() throws Exception {
        AtomicBoolean stuck = new AtomicBoolean();
        TokenizerSlots slots = new TokenizerSlots(1, Duration.ofMinutes(5), Duration.ofMillis(200), () -> stuck.set(true));
        holdTheOnlySlot(slots);
        slots.close();
        assertThat(stuck).isTrue();
    }

    @Test
    void closeReturnsQuietlyOnceEveryTokenizationHasFinished() {
        AtomicBoolean stuck = new AtomicBoolean();
        TokenizerSlots slots = new TokenizerSlots(2, Duration.ofMinutes(5), Duration.ofSeconds(5), () -> stuck.set(true));
        slots.run(() -> "done");
        slots.close();
        assertThat(stuck).isFalse();
    }
}
