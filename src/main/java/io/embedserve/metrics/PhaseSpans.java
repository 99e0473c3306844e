package io.embedserve.metrics;

import io.embedserve.inference.Embeddings;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.concurrent.TimeUnit;

/**
 * The phases of one answered embedding request as child spans of the request's span: tokenization,
 * queue wait and inference. They are built after the answer from the durations the service measures
 * anyway ({@link Embeddings.Timings}), with explicit start and end times, so that no tracer has to
 * travel through the tokenizer pool and the batch queue.
 *
 * <p>The request's time is known from its start to its answer. Tokenization is placed at the start,
 * inference at the end (the vectors come back when the last forward pass ends), and the queue wait
 * just before inference; what lies between tokenization and the queue is the cache lookup, which
 * the cache records as a span of its own. The queue wait is the longest wait of the request's
 * inputs and inference the longest forward pass; when inputs ran in different batches the two can
 * add up to more than the time between tokenization and the answer, and the queue span is then cut
 * to fit.
 */
final class PhaseSpans {

    static final String TOKENIZATION = "embedserve.tokenization";
    static final String QUEUE = "embedserve.queue";
    static final String INFERENCE = "embedserve.inference";
    static final String INPUTS = "embedserve.inputs";
    static final String TOKENS = "embedserve.tokens";

    private final Tracer tracer;

    PhaseSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * @param startEpochNanos wall-clock time the request entered the embedding service
     * @param elapsedNanos time from then until the answer
     */
    void record(long startEpochNanos, long elapsedNanos, int inputs, Embeddings result) {
        Span parent = tracer.currentSpan();
        if (parent == null || parent.isNoop()) {
            return;
        }
        Embeddings.Timings timings = result.timings();
        long end = startEpochNanos + elapsedNanos;
        long tokenized = Math.min(end, startEpochNanos + timings.tokenizationNanos());
        long inferenceStart = Math.max(tokenized, end - timings.inferenceNanos());
        long queueStart = Math.max(tokenized, inferenceStart - timings.queueNanos());

        span(TOKENIZATION, parent, startEpochNanos)
                .tag(INPUTS, inputs)
                .tag(TOKENS, result.promptTokens())
                .end(tokenized, TimeUnit.NANOSECONDS);
        span(QUEUE, parent, queueStart).end(inferenceStart, TimeUnit.NANOSECONDS);
        span(INFERENCE, parent, inferenceStart).end(end, TimeUnit.NANOSECONDS);
    }

    private Span span(String name, Span parent, long startEpochNanos) {
        return tracer.spanBuilder().setParent(parent.context()).name(name)
                .startTimestamp(startEpochNanos, TimeUnit.NANOSECONDS).start();
    }
}
