package io.embedserve.config;

import java.util.function.Consumer;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationContext;

/**
 * What the service does once its inference worker has died (the batch queue has already failed
 * every waiting request): liveness turns BROKEN, and the process exits 1 so that Kubernetes or
 * compose's restart policy starts a fresh one. Staying up would only answer 503 forever.
 */
final class WorkerDeath implements Consumer<Throwable> {

    static final int EXIT_STATUS = 1;

    private final ApplicationContext context;
    private final ProcessExit exit;

    WorkerDeath(ApplicationContext context, ProcessExit exit) {
        this.context = context;
        this.exit = exit;
    }

    @Override
    public void accept(Throwable death) {
        AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
        exit.exit(EXIT_STATUS, "the inference worker died: " + death);
    }
}
