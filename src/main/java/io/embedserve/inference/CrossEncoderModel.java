package io.embedserve.inference;

import ai.djl.ndarray.NDManager;
import io.embedserve.error.InferenceException;
import io.embedserve.error.ModelLoadException;
import io.embedserve.inference.encode.ComputeDtype;
import io.embedserve.inference.encode.DenseCheck;
import io.embedserve.inference.encode.EncoderHead;
import io.embedserve.inference.encode.ScriptEncoder;
import io.embedserve.inference.tokenize.PairTokenIds;
import io.embedserve.inference.tokenize.PairTruncation;
import io.embedserve.inference.tokenize.TextTokenizer;
import io.embedserve.inference.tokenize.TokenIds;
import io.embedserve.inference.tokenize.Truncation;
import io.embedserve.model.CrossEncoderConfig;
import io.embedserve.model.EncoderConfig;
import io.embedserve.model.ModelSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A loaded cross-encoder (a *ForSequenceClassification checkpoint as sentence-transformers'
 * CrossEncoder uses it): tokenizer, encoder and classification head. It turns (query, text) pairs
 * into raw logits, one per label; which activation to apply (sigmoid, softmax, none) is the
 * caller's choice. Several threads may score at once: the compiled program only reads its weights,
 * and each call owns its tensors.
 */
public final class CrossEncoderModel implements ServedModel {

    /** Offline batch size for {@link #score}, as {@link SentenceModel#DEFAULT_BATCH_SEQUENCES}. */
    public static final int DEFAULT_BATCH_PAIRS = 32;

    private final ModelSnapshot snapshot;
    private final EncoderConfig encoderConfig;
    private final CrossEncoderConfig config;
    private final TextTokenizer tokenizer;
    private final NDManager weights;
    private final ScriptEncoder encoder;
    private final ComputeDtype dtype;

    private CrossEncoderModel(ModelSnapshot snapshot, EncoderConfig encoderConfig, CrossEncoderConfig config,
            TextTokenizer tokenizer, NDManager weights, ScriptEncoder encoder, ComputeDtype dtype) {
        this.snapshot = snapshot;
        this.encoderConfig = encoderConfig;
        this.config = config;
        this.tokenizer = tokenizer;
        this.weights = weights;
        this.encoder = encoder;
        this.dtype = dtype;
    }

    /** Reads config, tokenizer and weights; any problem is a ModelLoadException. */
    public static CrossEncoderModel load(ModelSnapshot snapshot, ComputeDtype dtype) {
        EncoderConfig encoderConfig = EncoderConfig.read(snapshot.file("config.json"));
        CrossEncoderConfig config = CrossEncoderConfig.read(snapshot.directory(), encoderConfig);
        TextTokenizer tokenizer = TextTokenizer.load(snapshot.file("tokenizer.json"), false);
        NDManager weights = null;
        try {
            weights = TorchRuntime.newManager();
            ScriptEncoder encoder = ScriptEncoder.load(snapshot.directory(), encoderConfig,
                    new EncoderHead.SequenceClassification(config.numLabels()), dtype, weights);
            return new CrossEncoderModel(snapshot, encoderConfig, config, tokenizer, weights, encoder, dtype);
        } catch (RuntimeException e) {
            tokenizer.close();
            if (weights != null) {
                weights.close();
            }
            throw e instanceof ModelLoadException ? e
                    : new ModelLoadException("Cannot load the weights in " + snapshot.directory() + ": " + e, e);
        }
    }

    public ModelSnapshot snapshot() {
        return snapshot;
    }

    public EncoderConfig encoderConfig() {
        return encoderConfig;
    }

    /** The classifier's architecture, labels, default activation and max length. */
    public CrossEncoderConfig config() {
        return config;
    }

    /** The label names by id (config.json's id2label): each logit row has one value per label. */
    public List<String> labels() {
        return config.labels();
    }

    /** The most tokens of a tokenized pair, special tokens included. */
    public int maxLength() {
        return config.maxLength();
    }

    /** The precision the dense layers compute in (DTYPE). */
    public ComputeDtype dtype() {
        return dtype;
    }

    /** The load-time proof of each dense-layer shape, the classification head's included. */
    public List<DenseCheck> denseChecks() {
        return encoder.denseChecks();
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * Tokenizes a pair with the tokenizer's pair template and cuts it to {@link #maxLength()} as
     * CrossEncoder does (longest first), from {@code direction}'s end of each text.
     */
    public TokenizedPair tokenize(String query, String text, TruncationDirection direction) {
        PairTokenIds full = tokenizer.encodePair(query, text);
        PairTokenIds cut = PairTruncation.truncate(full, maxLength(), direction);
        long[] typeIds = encoderConfig.family().pairTokenTypes() ? cut.typeIds() : new long[cut.length()];
        return new TokenizedPair(cut.ids(), typeIds, full.length());
    }

    /**
     * Tokenizes one text alone, as a sequence classifier reads a single sentence (TEI's /predict with
     * one text): the tokenizer's single template, every token of type 0, cut to {@link #maxLength()}
     * from {@code direction}'s end.
     */
    public TokenizedPair tokenize(String text, TruncationDirection direction) {
        TokenIds full = tokenizer.encode(text);
        long[] ids = Truncation.truncate(full, maxLength(), direction);
        return new TokenizedPair(ids, new long[ids.length], full.length());
    }

    /** Scores pairs in length-sorted batches of {@value #DEFAULT_BATCH_PAIRS}; logits in input order. */
    public float[][] score(List<TokenizedPair> pairs) {
        Integer[] order = IntStream.range(0, pairs.size()).boxed()
                .sorted(Comparator.comparingInt(i -> pairs.get(i).length()))
                .toArray(Integer[]::new);
        float[][] out = new float[pairs.size()][];
        for (int from = 0; from < order.length; from += DEFAULT_BATCH_PAIRS) {
            int to = Math.min(order.length, from + DEFAULT_BATCH_PAIRS);
            List<TokenizedPair> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                batch.add(pairs.get(order[i]));
            }
            float[][] logits = scoreBatch(batch);
            for (int i = from; i < to; i++) {
                out[order[i]] = logits[i - from];
            }
        }
        return out;
    }

    /** Scores one batch as given (no sorting, no splitting): each pair's logits, {@code labels().size()} each. */
    public float[][] scoreBatch(List<TokenizedPair> pairs) {
        return scoreBatch(pairs.stream().map(TokenizedPair::ids).toList(),
                pairs.stream().map(TokenizedPair::typeIds).toList());
    }

    /** As {@link #scoreBatch(List)}, with ids and token type ids apart, as the batch queue carries them. */
    public float[][] scoreBatch(List<long[]> ids, List<long[]> typeIds) {
        try {
            return encoder.classify(ids, typeIds);
        } catch (RuntimeException e) {
            throw new InferenceException("Inference failed for a batch of " + ids.size() + " pairs: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public synchronized void close() {
        weights.close();
        tokenizer.close();
    }
}
