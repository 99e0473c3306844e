package io.embedserve.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.InferenceException;
import io.embedserve.inference.EmbedInput;
import io.embedserve.inference.EmbedOptions;
import io.embedserve.inference.EmbeddingService;
import io.embedserve.inference.Embeddings;
import io.embedserve.inference.ModelInfo;
import io.embedserve.inference.Token;
import io.embedserve.testsupport.InMemoryTracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The phases of an embedding request as child spans of the request's span, built from the timings
 * the model reports. The stand-in model takes at least {@value #MODEL_MILLIS} ms and reports phases
 * that add up to less, so every phase fits inside the request.
 */
class PhaseSpansTest {

    static final long MODEL_MILLIS = 30;
    static final long MS = 1_000_000;

    final InMemoryTracing tracing = new InMemoryTracing();
    final Tracer tracer = tracing.tracer();
    final EmbedServeMetrics metrics = new EmbedServeMetrics(new SimpleMeterRegistry(), "float32");

    @AfterEach
    void close() {
        tracing.close();
    }

    static EmbeddingService model(Supplier<Embeddings> answer) {
        return new EmbeddingService() {
            @Override
            public Embeddings embed(List<EmbedInput> inputs, EmbedOptions options) {
                try {
                    Thread.sleep(MODEL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return answer.get();
            }

            @Override
            public List<List<Token>> tokenize(List<String> texts, boolean addSpecialTokens, String promptName) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String decode(long[] ids, boolean skipSpecialTokens) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ModelInfo info() {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean isReady() {
                return true;
            }
        };
    }

    static Embeddings answer(long tokenizationNanos, long queueNanos, long inferenceNanos) {
        return new Embeddings(List.of(new float[] {1, 0}, new float[] {0, 1}), 7,
                new Embeddings.Timings(tokenizationNanos, queueNanos, inferenceNanos));
    }

    /** Embeds two inputs inside a request span, as the HTTP layer's observation would open it. */
    void embedInsideARequest(EmbeddingService model) {
        Span request = tracer.nextSpan().name("http post /embed").start();
        try (Tracer.SpanInScope ignored = tracer.withSpan(request)) {
            new MeteredEmbeddingService(model, metrics, tracer)
                    .embed(List.of(EmbedInput.text("a"), EmbedInput.text("b")), EmbedOptions.defaults());
        } finally {
            request.end();
        }
    }

    static long duration(SpanData span) {
        return span.getEndEpochNanos() - span.getStartEpochNanos();
    }

    @Test
    void eachPhaseIsAChildOfTheRequestSpanAndLastsWhatTheModelMeasured() {
        embedInsideARequest(model(() -> answer(2 * MS, 3 * MS, 4 * MS)));

        SpanData request = tracing.span("http post /embed");
        SpanData tokenization = tracing.span("embedserve.tokenization");
        SpanData queue = tracing.span("embedserve.queue");
        SpanData inference = tracing.span("embedserve.inference");
        for (SpanData phase : List.of(tokenization, queue, inference)) {
            assertThat(phase.getParentSpanId()).as(phase.getName()).isEqualTo(request.getSpanId());
            assertThat(phase.getTraceId()).as(phase.getName()).isEqualTo(request.getTraceId());
            assertThat(phase.getStartEpochNanos()).as(phase.getName()).isGreaterThanOrEqualTo(request.getStartEpochNanos());
            assertThat(phase.getEndEpochNanos()).as(phase.getName()).isLessThanOrEqualTo(request.getEndEpochNanos());
        }
        assertThat(duration(tokenization)).isEqualTo(2 * MS);
        assertThat(duration(queue)).isEqualTo(3 * MS);
        assertThat(duration(inference)).isEqualTo(4 * MS);
        assertThat(tokenization.getEndEpochNanos()).isLessThanOrEqualTo(queue.getStartEpochNanos());
        assertThat(queue.getEndEpochNanos()).isEqualTo(inference.getStartEpochNanos());
        assertThat(tokenization.getAttributes().get(AttributeKey.longKey("embedserve.inputs"))).isEqualTo(2L);
        assertThat(tokenization.getAttributes().get(AttributeKey.longKey("embedserve.tokens"))).isEqualTo(7L);
    }

    /** Inputs in different batches: the longest wait plus the longest batch can exceed the request. */
    @Test
    void aQueueWaitThatCannotFitIsCutBetweenTokenizationAndInference() {
        embedInsideARequest(model(() -> answer(2 * MS, Duration.ofHours(1).toNanos(), 4 * MS)));

        SpanData tokenization = tracing.span("embedserve.tokenization");
        SpanData queue = tracing.span("embedserve.queue");
        SpanData inference = tracing.span("embedserve.inference");
        assertThat(duration(tokenization)).isEqualTo(2 * MS);
        assertThat(duration(inference)).isEqualTo(4 * MS);
        assertThat(queue.getStartEpochNanos()).isEqualTo(tokenization.getEndEpochNanos());
        assertThat(queue.getEndEpochNanos()).isEqualTo(inference.getStartEpochNanos());
        assertThat(inference.getEndEpochNanos()).isLessThanOrEqualTo(tracing.span("http post /embed").getEndEpochNanos());
    }

    @Test
    void outsideATraceNoSpanIsMade() {
        new MeteredEmbeddingService(model(() -> answer(MS, MS, MS)), metrics, tracer)
                .embed(List.of(EmbedInput.text("a")), EmbedOptions.defaults());
        assertThat(tracing.spans()).isEmpty();
    }

    @Test
    void aFailedRequestHasNoPhaseSpans() {
        EmbeddingService failing = model(() -> {
            throw new InferenceException("Inference failed", null);
        });
        assertThatThrownBy(() -> embedInsideARequest(failing)).isInstanceOf(InferenceException.class);
        assertThat(tracing.names()).containsExactly("http post /embed");
    }
}
