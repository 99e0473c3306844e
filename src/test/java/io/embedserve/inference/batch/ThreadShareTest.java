package io.embedserve.inference.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A worker alone takes every CPU the workers share; busy workers each take their own share. */
class ThreadShareTest {

    final List<Integer> applied = new ArrayList<>();
    final ThreadShare share = new ThreadShare(2, 1, applied::add);

    @Test
    void aLoneWorkerUsesEveryCpuAndBusyWorkersTheirShare() {
        ThreadShare.Seat first = share.seat();
        ThreadShare.Seat second = share.seat();

        assertThat(first.begin()).as("alone").isEqualTo(2);
        assertThat(second.begin()).as("beside a busy worker").isEqualTo(1);
        first.end();
        second.end();
        assertThat(second.begin()).as("alone again").isEqualTo(2);
        second.end();
    }

    @Test
    void theThreadCountIsSetOnlyWhenItChanges() {
        ThreadShare.Seat seat = share.seat();
        for (int i = 0; i < 3; i++) {
            seat.begin();
            seat.end();
        }
        assertThat(applied).containsExactly(2);
    }

    @Test
    void moreBusyWorkersThanCpusStillGetOneThreadEach() {
        ThreadShare.Seat a = share.seat();
        ThreadShare.Seat b = share.seat();
        ThreadShare.Seat c = share.seat();
        a.begin();
        b.begin();
        assertThat(c.begin()).isEqualTo(1);
    }
}
