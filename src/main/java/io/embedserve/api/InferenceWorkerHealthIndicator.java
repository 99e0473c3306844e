package io.embedserve.api;

import io.embedserve.inference.Admission;
import io.embedserve.inference.batch.BatchQueue;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The "inferenceWorker" member of the liveness group: DOWN if a worker thread of either model's
 * queue has died or one batch has been running for longer than any real batch could, so the
 * orchestrator restarts a process that can no longer answer. Cheap: it reads a few fields.
 */
@Component("inferenceWorkerHealthIndicator")
class InferenceWorkerHealthIndicator implements HealthIndicator {

    private final BatchQueue queue;
    private final BatchQueue crossEncoderQueue;
    private final Admission admission;

    InferenceWorkerHealthIndicator(BatchQueue queue, @Qualifier("crossEncoderQueue") BatchQueue crossEncoderQueue,
            Admission admission) {
        this.queue = queue;
        this.crossEncoderQueue = crossEncoderQueue;
        this.admission = admission;
    }

    @Override
    public Health health() {
        if (queue.workerHealthy() && crossEncoderQueue.workerHealthy()) {
            return Health.up().withDetail("inFlightInputs", admission.inFlight())
                    .withDetail("workers", queue.workerCount())
                    .withDetail("crossEncoderWorkers", crossEncoderQueue.workerCount()).build();
        }
        return Health.down().withDetail("reason", "an inference worker died or is stuck in one batch").build();
    }
}
