package io.embedserve.metrics;

import io.embedserve.inference.EmbedInput;
import io.embedserve.inference.EmbedOptions;
import io.embedserve.inference.EmbeddingService;
import io.embedserve.inference.Embeddings;
import io.embedserve.inference.ModelInfo;
import io.embedserve.inference.Token;
import java.util.List;

/** Records the time and size of every answered embedding request; otherwise passes through. */
public final class MeteredEmbeddingService implements EmbeddingService {

    private final EmbeddingService delegate;
    private final EmbedServeMetrics metrics;

    public MeteredEmbeddingService(EmbeddingService delegate, EmbedServeMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public Embeddings embed(List<EmbedInput> inputs, EmbedOptions options) {
        long started = System.nanoTime();
        Embeddings result = delegate.embed(inputs, options);
        metrics.embedded(inputs.size(), result, System.nanoTime() - started);
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
