package io.embedserve.inference;

import io.embedserve.error.EmptyInputException;
import io.embedserve.error.ValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The embedding pipeline, in the order a request meets it: admission (one permit per input, or 429
 * at once) → prompt → tokenize (on this thread, in one of the tokenizer slots) → truncate or refuse
 * → each distinct input once → pooled vectors (through whatever stages wrap the encoder: the embedding
 * cache, the batch queue) → dimensions → normalise. Nothing is tokenized, looked up or queued for a request that was not
 * admitted, and every wait after admission ends at the request's deadline or when its client goes
 * ({@link Caller}). /tokenize and /decode go through the same admission and tokenizer slots.
 */
public final class ModelEmbeddingService implements EmbeddingService {

    private final ModelHolder holder;
    private final PooledEncoder encoder;
    private final Admission admission;
    private final TokenizerSlots tokenizers;
    private final int maxInputChars;
    private final RequestDefaults defaults;

    /**
     * @param holder the model, once loaded
     * @param encoder the pooled-vector stage; usually the batch queue in front of the model
     * @param admission the owner of the concurrency limit, taken first by every route
     * @param tokenizers the tokenizer stage, bounded so that tokenizing never competes with more
     *     threads than the CPUs it is sized for
     * @param defaults what a request that does not say gets: prompt, input length, model name
     */
    public ModelEmbeddingService(ModelHolder holder, PooledEncoder encoder, Admission admission,
            TokenizerSlots tokenizers, RequestDefaults defaults) {
        this.holder = holder;
        this.encoder = encoder;
        this.admission = admission;
        this.tokenizers = tokenizers;
        this.maxInputChars = defaults.maxInputChars();
        this.defaults = defaults;
    }

    /** With no default prompt or served name, and {@code maxInputChars} as MAX_INPUT_CHARS. */
    public ModelEmbeddingService(ModelHolder holder, PooledEncoder encoder, Admission admission,
            TokenizerSlots tokenizers, int maxInputChars) {
        this(holder, encoder, admission, tokenizers, RequestDefaults.withMaxInputChars(maxInputChars));
    }

    /** No admission limit, one tokenizer slot per CPU, the default MAX_INPUT_CHARS. */
    public ModelEmbeddingService(ModelHolder holder, PooledEncoder encoder) {
        this(holder, encoder, Admission.unlimited(), TokenizerSlots.unbounded(), RequestDefaults.DEFAULT_MAX_INPUT_CHARS);
    }

    @Override
    public Embeddings embed(List<EmbedInput> inputs, EmbedOptions options) {
        SentenceModel model = holder.require();
        if (inputs.isEmpty()) {
            throw new EmptyInputException("`inputs` cannot be empty");
        }
        int dimension = model.dimension();
        if (options.dimensions() != null && (options.dimensions() < 1 || options.dimensions() > dimension)) {
            throw new ValidationException(
                    "`dimensions` must be between 1 and " + dimension + " for this model. Given: " + options.dimensions());
        }
        String prompt = defaults.promptFor(model, options.promptName());
        try (Admission.Admitted admitted = admission.admit(inputs.size())) {
            long started = System.nanoTime();
            List<TokenizedInput> tokenized = tokenizers.run(
                    () -> InputRules.tokenizeAll(model, inputs, prompt, options, maxInputChars));
            int tokens = tokenized.stream().mapToInt(TokenizedInput::length).sum();
            long tokenization = System.nanoTime() - started;
            Caller.requirePresent();
            DistinctInputs distinct = DistinctInputs.of(tokenized);
            PooledVectors pooled = encoder.encode(distinct.inputs());
            float[][] raw = pooled.vectors();
            // TEI normalises when asked (the default) and otherwise returns the raw pooled vector, even
            // for a model whose pipeline ends in Normalize: the client's "normalize": false wins.
            List<float[]> vectors = new ArrayList<>(tokenized.size());
            for (int i = 0; i < tokenized.size(); i++) {
                vectors.add(postProcess(raw[distinct.indexOf(i)], options.dimensions(), options.normalize()));
            }
            return new Embeddings(vectors, tokens,
                    new Embeddings.Timings(tokenization, pooled.queueNanos(), pooled.inferenceNanos()));
        }
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

    /** TEI's /tokenize returns every token, so there is nothing to cut: a text over MAX_INPUT_CHARS is refused. */
    @Override
    public List<List<Token>> tokenize(List<String> texts, boolean addSpecialTokens, String promptName) {
        SentenceModel model = holder.require();
        String prompt = defaults.promptFor(model, promptName);
        texts.forEach(text -> InputRules.requireAtMostChars(text, maxInputChars));
        try (Admission.Admitted ignored = admission.admit(texts.size())) {
            return tokenizers.run(() -> {
                List<List<Token>> out = new ArrayList<>(texts.size());
                for (String text : texts) {
                    out.add(model.tokenizer().tokens(prompt + text, addSpecialTokens));
                }
                return out;
            });
        }
    }

    @Override
    public String decode(long[] ids, boolean skipSpecialTokens) {
        SentenceModel model = holder.require();
        InputRules.requireValidIds(ids, model.encoderConfig().vocabSize());
        try (Admission.Admitted ignored = admission.admit(1)) {
            return tokenizers.run(() -> model.tokenizer().decode(ids, skipSpecialTokens));
        }
    }

    @Override
    public ModelInfo info() {
        SentenceModel model = holder.require();
        return new ModelInfo(
                model.snapshot().modelId(),
                defaults.servedModelName() != null ? defaults.servedModelName() : model.snapshot().modelId(),
                model.snapshot().revision(),
                model.encoderConfig().family().modelType(),
                model.dtype().wireName(),
                model.pipeline().pooling().wireName(),
                model.dimension(),
                model.pipeline().maxSeqLength(),
                model.denseChecks());
    }

    @Override
    public boolean isReady() {
        return holder.isReady() || holder.isAbsent();
    }

    @Override
    public boolean served() {
        return !holder.isAbsent();
    }
}
