package io.embedserve.metrics;

import io.embedserve.inference.CrossEncoderInfo;
import io.embedserve.inference.CrossEncoderInput;
import io.embedserve.inference.CrossEncoderService;
import io.embedserve.inference.ScoreOptions;
import io.embedserve.inference.Scores;
import java.util.List;

/** Records the time and size of every answered /rerank and /predict request; otherwise passes through. */
public final class MeteredCrossEncoderService implements CrossEncoderService {

    private final CrossEncoderService delegate;
    private final EmbedServeMetrics metrics;

    public MeteredCrossEncoderService(CrossEncoderService delegate, EmbedServeMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public Scores rerank(String query, List<String> texts, ScoreOptions options) {
        long started = System.nanoTime();
        Scores result = delegate.rerank(query, texts, options);
        metrics.scored(texts.size(), result, System.nanoTime() - started);
        return result;
    }

    @Override
    public Scores predict(List<CrossEncoderInput> inputs, ScoreOptions options) {
        long started = System.nanoTime();
        Scores result = delegate.predict(inputs, options);
        metrics.scored(inputs.size(), result, System.nanoTime() - started);
        return result;
    }

    @Override
    public CrossEncoderInfo info() {
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
