package io.embedserve.inference.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Only a queue's lead widens, and only when its batch is the only work; the other workers leave work
 * to the idle lead whenever a batch could widen, and take it while the lead is busy.
 */
class ThreadShareTest {

    final List<Integer> applied = new ArrayList<>();
    final ThreadShare share = new ThreadShare(2, 1, applied::add);

    @Test
    void theLeadAloneUsesEveryCpuAndBesideABusyWorkerItsShare() {
        List<ThreadShare.Seat> seats = share.seats(2);
        ThreadShare.Seat lead = seats.get(0);
        ThreadShare.Seat other = seats.get(1);

        lead.took(false);
        assertThat(lead.begin()).as("alone").isEqualTo(2);
        other.took(false);
        assertThat(other.begin()).as("beside the busy lead").isEqualTo(1);
        lead.end();
        lead.took(false);
        assertThat(lead.begin()).as("the lead beside a busy worker").isEqualTo(1);
        lead.end();
        other.end();
    }

    @Test
    void theLeadDoesNotWidenWhenInputsAreLeftForTheOthers() {
        ThreadShare.Seat lead = share.seats(2).get(0);
        lead.took(true);
        assertThat(lead.begin()).isEqualTo(1);
        lead.end();
    }

    @Test
    void aWorkerOtherThanTheLeadNeverWidens() {
        ThreadShare.Seat other = share.seats(2).get(1);
        other.took(false);
        assertThat(other.begin()).isEqualTo(1);
        other.end();
    }

    @Test
    void theOthersLeaveWorkToTheIdleLeadAndTakeItWhileTheLeadIsBusy() {
        List<ThreadShare.Seat> seats = share.seats(3);
        assertThat(seats.get(0).mayTake()).as("the lead").isTrue();
        assertThat(seats.get(1).mayTake()).as("while the lead is idle").isFalse();
        seats.get(0).took(true);
        assertThat(seats.get(1).mayTake()).as("while the lead is busy").isTrue();
        assertThat(seats.get(2).mayTake()).isTrue();
        seats.get(0).end();
        assertThat(seats.get(2).mayTake()).as("the lead idle again").isFalse();
    }

    @Test
    void whereNoBatchCanWidenEveryWorkerTakesWorkAtOnce() {
        List<ThreadShare.Seat> seats = ThreadShare.fixed().seats(2);
        assertThat(seats.get(1).mayTake()).isTrue();
        List<ThreadShare.Seat> oneThreadPerCpu = new ThreadShare(2, 2, applied::add).seats(2);
        assertThat(oneThreadPerCpu.get(1).mayTake()).isTrue();
    }

    @Test
    void theThreadCountIsSetOnlyWhenItChanges() {
        ThreadShare.Seat lead = share.seats(1).get(0);
        for (int i = 0; i < 3; i++) {
            lead.took(false);
            lead.begin();
            lead.end();
        }
        assertThat(applied).containsExactly(2);
    }

    @Test
    void moreBusyWorkersThanCpusStillGetOneThreadEach() {
        List<ThreadShare.Seat> seats = share.seats(3);
        seats.get(0).took(false);
        seats.get(1).took(false);
        seats.get(2).took(false);
        assertThat(seats.get(0).begin()).isEqualTo(1);
        assertThat(seats.get(2).begin()).isEqualTo(1);
    }
}
