package io.embedserve.inference;

import io.embedserve.error.EmptyInputException;
import io.embedserve.error.ValidationException;
import io.embedserve.inference.tokenize.TokenIds;
import io.embedserve.inference.tokenize.Truncation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The embedding pipeline: prompt → tokenize → truncate or refuse → pooled vectors (through
 * whatever stages wrap the encoder: batch queue, cache) → dimensions → normalise.
 */
public final class ModelEmbeddingService implements EmbeddingService {

    private final ModelHolder holder;
    private final PooledEncoder encoder;
    private final Executor tokenizers;

    /**
     * @param holder the model, once loaded
     * @param encoder the pooled-vector stage; usually the batch queue in front of the model
     * @param tokenizers the small pool that tokenizes, so that tokenizing never competes with more
     *     threads than the CPUs it is sized for
     */
    public ModelEmbeddingService(ModelHolder holder, PooledEncoder encoder, Executor tokenizers) {
        this.holder = holder;
        this.encoder = encoder;
        this.tokenizers = tokenizers;
    }

    /** Tokenizes on the calling thread. */
    public ModelEmbeddingService(ModelHolder holder, PooledEncoder encoder) {
        this(holder, encoder, Runnable::run);
    }

    @Override
    public Embeddings embed(List<EmbedInput> inputs, EmbedOptions options) {
        SentenceModel model = holder.require();
        if (inputs.isEmpty()) {
            throw new EmptyInputException("`inputs` cannot be empty");
        }
        int hidden = model.encoderConfig().hiddenSize();
        if (options.dimensions() != null && (options.dimensions() < 1 || options.dimensions() > hidden)) {
            throw new ValidationException(
                    "`dimensions` must be between 1 and " + hidden + " for this model. Given: " + options.dimensions());
        }
        String prompt = promptText(model, options.promptName());
        long started = System.nanoTime();
        List<TokenizedInput> tokenized = onTokenizerPool(() -> tokenizeAll(model, inputs, prompt, options));
        int tokens = tokenized.stream().mapToInt(TokenizedInput::length).sum();
        long tokenization = System.nanoTime() - started;
        PooledVectors pooled = encoder.encode(tokenized);
        float[][] raw = pooled.vectors();
        boolean normalize = options.normalize() || model.pipeline().normalize();
        List<float[]> vectors = new ArrayList<>(raw.length);
        for (float[] vector : raw) {
            vectors.add(postProcess(vector, options.dimensions(), normalize));
        }
        return new Embeddings(vectors, tokens,
                new Embeddings.Timings(tokenization, pooled.queueNanos(), pooled.inferenceNanos()));
    }

    private List<TokenizedInput> tokenizeAll(
            SentenceModel model, List<EmbedInput> inputs, String prompt, EmbedOptions options) {
        List<TokenizedInput> tokenized = new ArrayList<>(inputs.size());
        for (EmbedInput input : inputs) {
            tokenized.add(tokenize(model, input, prompt, options));
        }
        return tokenized;
    }

    private <T> T onTokenizerPool(java.util.function.Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, tokenizers).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private TokenizedInput tokenize(SentenceModel model, EmbedInput input, String prompt, EmbedOptions options) {
        int max = model.pipeline().maxSeqLength();
        long[] ids;
        String text = null;
        if (input instanceof EmbedInput.Text t) {
            if (t.text().isEmpty()) {
                throw new EmptyInputException("`inputs` cannot contain an empty string");
            }
            text = prompt + t.text();
            TokenIds encoded = model.tokenizer().encode(text);
            requireFits(encoded.length(), max, options);
            ids = Truncation.truncate(encoded, max, options.direction());
        } else {
            long[] given = ((EmbedInput.TokenIds) input).ids();
            if (given.length == 0) {
                throw new EmptyInputException("`inputs` cannot contain an empty list of token ids");
            }
            requireValidIds(given, model.encoderConfig().vocabSize());
            requireFits(given.length, max, options);
            ids = Truncation.truncateIds(given, max, options.direction());
        }
        return new TokenizedInput(text, ids, options.direction(), max);
    }

    private static void requireFits(int length, int max, EmbedOptions options) {
        if (!options.truncate() && length > max) {
            throw new ValidationException(
                    "`inputs` must have less than " + max + " tokens. Given: " + length
                            + ". Set `truncate` to true to cut it.");
        }
    }

    private static void requireValidIds(long[] ids, int vocabSize) {
        for (long id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw new ValidationException(
                        "token id " + id + " is outside the vocabulary [0, " + vocabSize + ")");
            }
        }
    }

    private static String promptText(SentenceModel model, String promptName) {
        if (promptName != null && !model.pipeline().prompts().containsKey(promptName)) {
            throw new ValidationException(
                    "prompt_name `" + promptName + "` is not one of the model's prompts "
                            + model.pipeline().prompts().keySet());
        }
        String text = model.pipeline().promptText(promptName);
        return text == null ? "" : text;
    }

    /** Keeps the first {@code dimensions} components, then L2-normalises if asked. */
    static float[] postProcess(float[] vector, Integer dimensions, boolean normalize) {
        float[] out = dimensions == null ? vector.clone() : Arrays.copyOf(vector, dimensions);
        if (normalize) {
            double sum = 0;
            for (float v : out) {
                sum += (double) v * v;
            }
            // torch.nn.functional.normalize clamps the norm at 1e-12, as we do.
            double norm = Math.max(Math.sqrt(sum), 1e-12);
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (out[i] / norm);
            }
        }
        return out;
    }

    @Override
    public List<List<Token>> tokenize(List<String> texts, boolean addSpecialTokens, String promptName) {
        SentenceModel model = holder.require();
        String prompt = promptText(model, promptName);
        List<List<Token>> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(model.tokenizer().tokens(prompt + text, addSpecialTokens));
        }
        return out;
    }

    @Override
    public String decode(long[] ids, boolean skipSpecialTokens) {
        SentenceModel model = holder.require();
        requireValidIds(ids, model.encoderConfig().vocabSize());
        return model.tokenizer().decode(ids, skipSpecialTokens);
    }

    @Override
    public ModelInfo info() {
        SentenceModel model = holder.require();
        return new ModelInfo(
                model.snapshot().modelId(),
                model.snapshot().revision(),
                model.encoderConfig().family().modelType(),
                "float32",
                model.pipeline().pooling().wireName(),
                model.pipeline().normalize(),
                model.encoderConfig().hiddenSize(),
                model.pipeline().maxSeqLength());
    }

    @Override
    public boolean isReady() {
        return holder.isReady();
    }
}
