package io.embedserve.metrics;

import static io.embedserve.metrics.EmbedServeMetrics.BATCH_INFERENCE;
import static io.embedserve.metrics.EmbedServeMetrics.BATCH_SIZE;
import static io.embedserve.metrics.EmbedServeMetrics.BATCH_TOKENS;
import static io.embedserve.metrics.EmbedServeMetrics.INFERENCE;
import static io.embedserve.metrics.EmbedServeMetrics.MODEL_TAG;
import static io.embedserve.metrics.EmbedServeMetrics.QUEUE;
import static io.embedserve.metrics.EmbedServeMetrics.QUEUE_DEPTH;
import static io.embedserve.metrics.EmbedServeMetrics.QUEUE_DROPPED;
import static io.embedserve.metrics.EmbedServeMetrics.REQUEST_DURATION;
import static io.embedserve.metrics.EmbedServeMetrics.REQUEST_INPUTS;
import static io.embedserve.metrics.EmbedServeMetrics.REQUEST_TOKENS;
import static io.embedserve.metrics.EmbedServeMetrics.TOKENIZATION;
import static io.embedserve.metrics.EmbedServeMetrics.WORKER_UP;

import io.embedserve.inference.Embeddings;
import io.embedserve.inference.batch.BatchListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of one model, tagged with its role: requests answered with it, and the batches and
 * queue of its own batch queue (this is the listener that queue reports to).
 */
final class ModelMeters implements BatchListener {

    private final Timer duration;
    private final Timer tokenization;
    private final Timer queue;
    private final Timer inference;
    private final DistributionSummary requestTokens;
    private final DistributionSummary requestInputs;
    private final DistributionSummary batchSize;
    private final DistributionSummary batchTokens;
    private final Timer batchInference;
    private final Counter queueDropped;
    private final AtomicInteger queueDepth = new AtomicInteger();
    private final AtomicInteger workerUp = new AtomicInteger();

    ModelMeters(MeterRegistry registry, String model) {
        duration = timer(registry, REQUEST_DURATION, "Time from request to response for routes that run a model", model);
        tokenization = timer(registry, TOKENIZATION, "Time spent tokenizing a request's inputs", model);
        queue = timer(registry, QUEUE, "Time a request's inputs waited for an inference worker", model);
        inference = timer(registry, INFERENCE, "Forward-pass time of the batches that computed a request", model);
        requestTokens = summary(registry, REQUEST_TOKENS, "Tokens per request, special tokens included", "tokens", model);
        requestInputs = summary(registry, REQUEST_INPUTS, "Inputs per request", "inputs", model);
        batchSize = summary(registry, BATCH_SIZE, "Inputs per model batch", "inputs", model);
        batchTokens = summary(registry, BATCH_TOKENS, "Padded tokens (longest × count) per model batch", "tokens", model);
        batchInference = timer(registry, BATCH_INFERENCE, "Forward-pass time per model batch", model);
        queueDropped = Counter.builder(QUEUE_DROPPED).baseUnit("inputs").tag(MODEL_TAG, model)
                .description("Queued inputs dropped before computing because their client had gone")
                .register(registry);
        Gauge.builder(QUEUE_DEPTH, queueDepth, AtomicInteger::get).tag(MODEL_TAG, model)
                .description("Inputs waiting for an inference worker").register(registry);
        Gauge.builder(WORKER_UP, workerUp, AtomicInteger::get).tag(MODEL_TAG, model)
                .description("1 while the model's inference workers run, 0 once one has died (liveness is DOWN then)")
                .register(registry);
    }

    void answered(int inputs, int tokens, Embeddings.Timings timings, long totalNanos) {
        duration.record(totalNanos, TimeUnit.NANOSECONDS);
        tokenization.record(timings.tokenizationNanos(), TimeUnit.NANOSECONDS);
        queue.record(timings.queueNanos(), TimeUnit.NANOSECONDS);
        inference.record(timings.inferenceNanos(), TimeUnit.NANOSECONDS);
        requestTokens.record(tokens);
        requestInputs.record(inputs);
    }

    @Override
    public void batchCompleted(int inputs, long paddedTokens, long inferenceNanos) {
        batchSize.record(inputs);
        batchTokens.record(paddedTokens);
        batchInference.record(inferenceNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void queueDepth(int waitingInputs) {
        queueDepth.set(waitingInputs);
    }

    @Override
    public void inputsDropped(int inputs) {
        queueDropped.increment(inputs);
    }

    @Override
    public void workerRunning(boolean running) {
        workerUp.set(running ? 1 : 0);
    }

    private static Timer timer(MeterRegistry registry, String name, String description, String model) {
        return Timer.builder(name).description(description).tag(MODEL_TAG, model).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    private static DistributionSummary summary(MeterRegistry registry, String name, String description, String unit,
            String model) {
        return DistributionSummary.builder(name).description(description).baseUnit(unit).tag(MODEL_TAG, model)
                .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(65536.0)
                .register(registry);
    }
}
