package io.embedserve.inference.batch;

/** What the batch queue reports for metrics; implemented outside the domain. */
public interface BatchListener {

    /** A batch ran: how many inputs, padded tokens (longest × count), and its forward-pass time. */
    void batchCompleted(int inputs, long paddedTokens, long inferenceNanos);

    /** Inputs waiting for the worker changed. */
    void queueDepth(int waitingInputs);

    /** Queued inputs were dropped without being computed because their caller had gone. */
    void inputsDropped(int inputs);

    /** The inference worker started (true) or stopped for good after a fatal error (false). */
    default void workerRunning(boolean running) {}

    BatchListener NONE = new BatchListener() {
        @Override
        public void batchCompleted(int inputs, long paddedTokens, long inferenceNanos) {}

        @Override
        public void queueDepth(int waitingInputs) {}

        @Override
        public void inputsDropped(int inputs) {}
    };
}
