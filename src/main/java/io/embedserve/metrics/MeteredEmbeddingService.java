package io.embedserve.metrics;

import io.embedserve.inference.EmbedInput;
import io.embedserve.inference.EmbedOptions;
import io.embedserve.inference.EmbeddingService;
import io.embedserve.inference.Embeddings;
import io.embedserve.inference.ModelInfo;
import io.embedserve.inference.Token;
import io.micrometer.tracing.Tracer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Records the time and size of every answered embedding request, and its phases as spans of the
 * request's trace when tracing is on ({@link PhaseSpans}); otherwise passes through.
 */
public final class MeteredEmbeddingService implements EmbeddingService {

    private final EmbeddingService delegate;
    private final EmbedServeMetrics metrics;
    private final PhaseSpans spans;

    public MeteredEmbeddingService(EmbeddingService delegate, EmbedServeMetrics metrics) {
        this(delegate, metrics, Tracer.NOOP);
    }

    public MeteredEmbeddingService(EmbeddingService delegate, EmbedServeMetrics metrics, Tracer tracer) {
        this.delegate = delegate;
        this.metrics = metrics;
        this.spans = new PhaseSpans(tracer);
    }

    @Override
    public Embeddings embed(List<EmbedInput> inputs, EmbedOptions options) {
        Instant startedAt = Instant.now();
        long started = System.nanoTime();
        Embeddings result = delegate.embed(inputs, options);
        long elapsed = System.nanoTime() - started;
        metrics.embedded(inputs.size(), result, elapsed);
        spans.record(TimeUnit.SECONDS.toNanos(startedAt.getEpochSecond()) + startedAt.getNano(), elapsed,
                inputs.size(), result);
        return result;
    }

    @Override
    public List<List<Token>> tokenize(List<String> texts, boolean addSpecialTokens, String promptName) {
        return delegate.tokenize(texts, addSpecialTokens, promptName);
    }

    @Override
    public String decode(long[] ids, boolean skipSpecialTokens) {
        return delegate.decode(ids, skipSpecialTokens);
    }

    @Override
    public ModelInfo info() {
        return delegate.info();
    }

    @Override
    public boolean isReady() {
        return delegate.isReady();
    }

    @Override
    public boolean served() {
        return delegate.served();
    }
}
