package io.embedserve.inference;

import io.embedserve.error.EmptyInputException;
import io.embedserve.error.InferenceException;
import io.embedserve.error.WrongModelTypeException;
import java.util.ArrayList;
import java.util.List;

/**
 * The cross-encoder's pipeline, in the order a request meets it, as the embedding pipeline's:
 * admission (one permit per pair, or 429 at once) → tokenize (on this thread, in one of the shared
 * tokenizer slots) → truncate or refuse → the reranker's batch queue → sigmoid or softmax unless raw
 * scores were asked for. Every wait after admission ends at the request's deadline or when its
 * client goes ({@link Caller}).
 */
public final class ModelCrossEncoderService implements CrossEncoderService {

    static final String NO_CROSS_ENCODER = "this service runs no cross-encoder (RERANK_MODEL_ID, or a"
            + " *ForSequenceClassification model as MODEL_ID)";

    private final CrossEncoderHolder holder;
    private final PairScorer scorer;
    private final Admission admission;
    private final TokenizerSlots tokenizers;
    private final int maxInputChars;

    /**
     * @param scorer the logits stage: the cross-encoder's batch queue
     * @param admission the owner of the concurrency limit, shared with the embedding routes
     * @param tokenizers the tokenizer stage, shared with the embedding routes
     * @param maxInputChars MAX_INPUT_CHARS, per text
     */
    public ModelCrossEncoderService(CrossEncoderHolder holder, PairScorer scorer, Admission admission,
            TokenizerSlots tokenizers, int maxInputChars) {
        this.holder = holder;
        this.scorer = scorer;
        this.admission = admission;
        this.tokenizers = tokenizers;
        this.maxInputChars = maxInputChars;
    }

    /** TEI's messages for a model of the wrong kind, each followed by what this service runs instead. */
    @Override
    public Scores rerank(String query, List<String> texts, ScoreOptions options) {
        CrossEncoderModel model = require("model is not a re-ranker model: " + NO_CROSS_ENCODER);
        if (model.labels().size() != 1) {
            throw new WrongModelTypeException("model is not a re-ranker model: " + model.snapshot().modelId()
                    + " classifies into " + model.labels().size() + " labels " + model.labels() + "; use /predict");
        }
        if (texts.isEmpty()) {
            throw new EmptyInputException("`texts` cannot be empty");
        }
        List<CrossEncoderInput> pairs = new ArrayList<>(texts.size());
        texts.forEach(text -> pairs.add(new CrossEncoderInput.Pair(query, text)));
        return score(model, pairs, options);
    }

    @Override
    public Scores predict(List<CrossEncoderInput> inputs, ScoreOptions options) {
        CrossEncoderModel model = require("Model is not a classifier model: " + NO_CROSS_ENCODER);
        if (inputs.isEmpty()) {
            throw new EmptyInputException("`inputs` cannot be empty");
        }
        return score(model, inputs, options);
    }

    private CrossEncoderModel require(String absentMessage) {
        if (holder.isAbsent()) {
            throw new WrongModelTypeException(absentMessage);
        }
        return holder.require();
    }

    private Scores score(CrossEncoderModel model, List<CrossEncoderInput> inputs, ScoreOptions options) {
        try (Admission.Admitted admitted = admission.admit(inputs.size())) {
            long started = System.nanoTime();
            List<TokenizedPair> pairs = tokenizers.run(() -> PairRules.tokenizeAll(model, inputs, options, maxInputChars));
            long tokenization = System.nanoTime() - started;
            Caller.requirePresent();
            PooledVectors logits = scorer.score(pairs);
            List<float[]> scores = new ArrayList<>(pairs.size());
            for (float[] row : logits.vectors()) {
                scores.add(activated(row, options.rawScores()));
            }
            int tokens = pairs.stream().mapToInt(TokenizedPair::length).sum();
            return new Scores(scores, model.labels(), tokens,
                    new Embeddings.Timings(tokenization, logits.queueNanos(), logits.inferenceNanos()));
        }
    }

    /** TEI refuses to rank a NaN (its sort could not place it); so does this. */
    private static float[] activated(float[] logits, boolean raw) {
        float[] out = raw ? logits.clone() : ScoreActivation.apply(logits);
        for (float score : out) {
            if (Float.isNaN(score)) {
                throw new InferenceException("score is NaN");
            }
        }
        return out;
    }

    @Override
    public CrossEncoderInfo info() {
        CrossEncoderModel model = require("Model is not a classifier model: " + NO_CROSS_ENCODER);
        return new CrossEncoderInfo(
                model.snapshot().modelId(),
                model.snapshot().revision(),
                model.encoderConfig().family().modelType(),
                model.config().architecture(),
                model.dtype().wireName(),
                model.labels(),
                model.maxLength(),
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
