package io.embedserve.api;

import io.embedserve.error.NotReadyException;
import io.embedserve.error.ValidationException;
import io.embedserve.inference.EmbedInput;
import io.embedserve.inference.EmbedOptions;
import io.embedserve.inference.Embeddings;
import io.embedserve.inference.EmbeddingService;
import io.embedserve.inference.ModelInfo;
import io.embedserve.inference.encode.DenseCheck;
import io.embedserve.inference.Token;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A model whose answers can be worked out by hand. A text's tokens are its space-separated words;
 * its raw vector is {@code [tokens, 4, 0, 0]}, so "a b c" gives [3, 4, 0, 0] and, normalised,
 * [0.6, 0.8, 0, 0]. Hidden size 4, max input length 8 tokens.
 */
class FakeEmbeddingService implements EmbeddingService {

    static final ModelInfo INFO = new ModelInfo("test-org/test-model", "test-org/test-model",
            "0123456789abcdef0123456789abcdef01234567",
            "xlm-roberta", "float32", "mean", 4, 8,
            List.of(new DenseCheck(4, 12, false, 0, 1, "onednn float32", 1e-7, 1e-5, null),
                    new DenseCheck(4, 4, false, 1, 1, "torch.linear float32", 2e-7, 1e-5, "onednn float32: forced")));

    volatile boolean ready = true;
    /** False: the process serves a cross-encoder alone. */
    volatile boolean served = true;
    volatile RuntimeException failure;
    volatile List<EmbedInput> lastInputs;
    volatile EmbedOptions lastOptions;

    void reset() {
        ready = true;
        served = true;
        failure = null;
        lastInputs = null;
        lastOptions = null;
    }

    @Override
    public Embeddings embed(List<EmbedInput> inputs, EmbedOptions options) {
        requireReady();
        if (failure != null) {
            throw failure;
        }
        int hidden = INFO.hiddenSize();
        if (options.dimensions() != null && (options.dimensions() < 1 || options.dimensions() > hidden)) {
            throw new ValidationException("`dimensions` must be between 1 and " + hidden + ". Given: " + options.dimensions());
        }
        lastInputs = inputs;
        lastOptions = options;
        List<float[]> vectors = new ArrayList<>();
        int promptTokens = 0;
        for (EmbedInput input : inputs) {
            int tokens = tokenCount(input);
            if (!options.truncate() && tokens > INFO.maxInputLength()) {
                throw new ValidationException("`inputs` must have less than " + INFO.maxInputLength()
                        + " tokens. Given: " + tokens);
            }
            tokens = Math.min(tokens, INFO.maxInputLength());
            promptTokens += tokens;
            vectors.add(vector(tokens, options));
        }
        return new Embeddings(vectors, promptTokens);
    }

    private static int tokenCount(EmbedInput input) {
        if (input instanceof EmbedInput.Text text) {
            return text.text().trim().split("\\s+").length;
        }
        return ((EmbedInput.TokenIds) input).ids().length;
    }

    private static float[] vector(int tokens, EmbedOptions options) {
        float[] v = {tokens, 4, 0, 0};
        if (options.dimensions() != null) {
            v = Arrays.copyOf(v, options.dimensions());
        }
        if (options.normalize()) {
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / Math.sqrt(norm));
            }
        }
        return v;
    }

    /** Words become ids 100, 101, ...; special tokens are id 0 before and id 2 after. */
    @Override
    public List<List<Token>> tokenize(List<String> texts, boolean addSpecialTokens, String promptName) {
        requireReady();
        List<List<Token>> result = new ArrayList<>();
        for (String text : texts) {
            List<Token> tokens = new ArrayList<>();
            if (addSpecialTokens) {
                tokens.add(new Token(0, "<s>", true, null, null));
            }
            int from = 0;
            for (String word : text.split(" ")) {
                int start = text.indexOf(word, from);
                tokens.add(new Token(100 + tokens.size(), word, false, start, start + word.length()));
                from = start + word.length();
            }
            if (addSpecialTokens) {
                tokens.add(new Token(2, "</s>", true, null, null));
            }
            result.add(tokens);
        }
        return result;
    }

    /** "t101 t102"; ids 0 and 2 are special and dropped when asked. */
    @Override
    public String decode(long[] ids, boolean skipSpecialTokens) {
        requireReady();
        return Arrays.stream(ids)
                .filter(id -> !skipSpecialTokens || (id != 0 && id != 2))
                .mapToObj(id -> "t" + id)
                .collect(Collectors.joining(" "));
    }

    @Override
    public ModelInfo info() {
        requireReady();
        return INFO;
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public boolean served() {
        return served;
    }

    private void requireReady() {
        if (!ready) {
            throw new NotReadyException("model is not loaded yet");
        }
    }
}
