package io.embedserve.inference;

import ai.djl.ndarray.NDManager;
import io.embedserve.error.InferenceException;
import io.embedserve.error.ModelLoadException;
import io.embedserve.inference.encode.ComputeDtype;
import io.embedserve.inference.encode.DenseCheck;
import io.embedserve.inference.encode.EncoderHead;
import io.embedserve.inference.encode.ScriptEncoder;
import io.embedserve.inference.tokenize.TextTokenizer;
import io.embedserve.model.EncoderConfig;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.model.PoolingMode;
import io.embedserve.model.SentenceTransformerConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A loaded sentence-transformers model: tokenizer, encoder, pooling and Dense modules, with the
 * pipeline settings read from the model's own files. {@link #encode} computes raw (unnormalised)
 * sentence embeddings in length-sorted batches. Several threads may encode at once: the compiled program only reads its weights, and
 * each call owns its tensors.
 */
public final class SentenceModel implements PooledEncoder, ServedModel {

    /**
     * Offline batch size for {@link #encode}; on all-MiniLM short sentences 16, 32 and 64 ran within
     * 6% of each other (docs/PERFORMANCE.md). The service batches through the batch queue instead.
     */
    public static final int DEFAULT_BATCH_SEQUENCES = 32;

    private final ModelSnapshot snapshot;
    private final EncoderConfig encoderConfig;
    private final SentenceTransformerConfig pipeline;
    private final TextTokenizer tokenizer;
    private final NDManager weights;
    private final ScriptEncoder encoder;
    private final ComputeDtype dtype;

    private SentenceModel(ModelSnapshot snapshot, EncoderConfig encoderConfig, SentenceTransformerConfig pipeline,
            TextTokenizer tokenizer, NDManager weights, ScriptEncoder encoder, ComputeDtype dtype) {
        this.snapshot = snapshot;
        this.encoderConfig = encoderConfig;
        this.pipeline = pipeline;
        this.tokenizer = tokenizer;
        this.weights = weights;
        this.encoder = encoder;
        this.dtype = dtype;
    }

    /** Reads config, pipeline, tokenizer and weights; any problem is a ModelLoadException. */
    public static SentenceModel load(ModelSnapshot snapshot, PoolingMode poolingOverride) {
        return load(snapshot, poolingOverride, ComputeDtype.FLOAT32);
    }

    /** As {@link #load(ModelSnapshot, PoolingMode)}, computing the dense layers in {@code dtype}. */
    public static SentenceModel load(ModelSnapshot snapshot, PoolingMode poolingOverride, ComputeDtype dtype) {
        EncoderConfig encoderConfig = EncoderConfig.read(snapshot.file("config.json"));
        return load(snapshot, encoderConfig,
                SentenceTransformerConfig.read(snapshot.directory(), encoderConfig, poolingOverride), dtype);
    }

    /**
     * As {@link #load(ModelSnapshot, PoolingMode, ComputeDtype)}, with the snapshot's config.json and
     * sentence-transformers pipeline already read (the start-up memory check needs them before the
     * weights are read).
     */
    public static SentenceModel load(ModelSnapshot snapshot, EncoderConfig encoderConfig,
            SentenceTransformerConfig pipeline, ComputeDtype dtype) {
        TextTokenizer tokenizer = TextTokenizer.load(snapshot.file("tokenizer.json"), pipeline.doLowerCase());
        NDManager weights = null;
        try {
            weights = TorchRuntime.newManager();
            ScriptEncoder encoder = ScriptEncoder.load(snapshot.directory(), encoderConfig,
                    new EncoderHead.SentenceEmbedding(pipeline.pooling(), pipeline.denseModules()), dtype, weights);
            return new SentenceModel(snapshot, encoderConfig, pipeline, tokenizer, weights, encoder, dtype);
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

    public SentenceTransformerConfig pipeline() {
        return pipeline;
    }

    /**
     * The embedding's dimension: the pipeline's last Dense module's out_features, or the encoder's
     * hidden size when it has none.
     */
    public int dimension() {
        return pipeline.dimension();
    }

    /** The precision the dense layers compute in (DTYPE). */
    public ComputeDtype dtype() {
        return dtype;
    }

    /** The load-time proof of each dense-layer shape: the path its layers run on, and its error. */
    public List<DenseCheck> denseChecks() {
        return encoder.denseChecks();
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public PooledVectors encode(List<TokenizedInput> inputs) {
        long started = System.nanoTime();
        return new PooledVectors(encodeSorted(inputs), 0, System.nanoTime() - started);
    }

    /** Encodes in length-sorted batches of {@value #DEFAULT_BATCH_SEQUENCES}, returning input order. */
    private float[][] encodeSorted(List<TokenizedInput> inputs) {
        Integer[] order = IntStream.range(0, inputs.size()).boxed()
                .sorted(Comparator.comparingInt(i -> inputs.get(i).length()))
                .toArray(Integer[]::new);
        float[][] out = new float[inputs.size()][];
        for (int from = 0; from < order.length; from += DEFAULT_BATCH_SEQUENCES) {
            int to = Math.min(order.length, from + DEFAULT_BATCH_SEQUENCES);
            List<long[]> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                batch.add(inputs.get(order[i]).ids());
            }
            float[][] vectors = encodeBatch(batch);
            for (int i = from; i < to; i++) {
                out[order[i]] = vectors[i - from];
            }
        }
        return out;
    }

    /** Encodes one batch as given (no sorting, no splitting): the batch queue's unit of work. */
    public float[][] encodeBatch(List<long[]> sequences) {
        try {
            return encoder.encode(sequences);
        } catch (RuntimeException e) {
            throw new InferenceException("Inference failed for a batch of " + sequences.size() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        weights.close();
        tokenizer.close();
    }
}
