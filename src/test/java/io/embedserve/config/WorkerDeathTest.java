package io.embedserve.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/** A dead inference worker turns liveness BROKEN and asks for a non-zero exit. */
class WorkerDeathTest {

    @Test
    void aDeadWorkerBreaksLivenessAndExitsNonZero() {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(ApplicationAvailabilityBean.class)) {
            List<Integer> exits = new ArrayList<>();
            ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);

            new WorkerDeath(context, (status, reason) -> exits.add(status)).accept(new OutOfMemoryError("Java heap space"));

            assertThat(availability.getLivenessState()).isEqualTo(LivenessState.BROKEN);
            assertThat(exits).containsExactly(1);
        }
    }
}
