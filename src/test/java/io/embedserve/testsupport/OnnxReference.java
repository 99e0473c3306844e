package io.embedserve.testsupport;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.embedserve.model.PoolingMode;

/**
 * Reference sentence embeddings from the original ONNX model run by ONNX Runtime, a second
 * runtime that shares no code with the service's DJL/PyTorch encoder. The encoder output
 * ({@code last_hidden_state}) comes from ONNX Runtime; pooling (mean or CLS) and normalisation are
 * {@link ReferencePooling}'s plain Java.
 *
 * <p>Token ids go in as given (special tokens included); {@code token_type_ids} are all 0 and
 * batches are right-padded with id 0, BERT's {@code [PAD]}.
 */
public final class OnnxReference implements AutoCloseable {

    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";
    public static final String LAST_HIDDEN_STATE = "last_hidden_state";

    private static final long PAD_ID = 0;

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    private OnnxReference(Path onnxFile, int intraOpThreads, OptLevel optimization) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(optimization);
            session = environment.createSession(onnxFile.toString(), options);
        }
    }

    /** The all-MiniLM-L6-v2 export from {@link MiniLmResources}. */
    public static OnnxReference miniLm() {
        return open(MiniLmResources.onnxModel());
    }

    /** The original ONNX export of {@code model} ({@link ModelResources}). */
    public static OnnxReference of(RealModel model) {
        return open(ModelResources.onnxModel(model));
    }

    /**
     * The all-MiniLM-L6-v2 export with {@code intraOpThreads} threads and the given graph
     * optimisation. Benchmarks need this: a fair comparison gives ONNX Runtime the threads PyTorch
     * gets, and the optimisation level its users get by default ({@code ALL_OPT}).
     */
    public static OnnxReference miniLm(int intraOpThreads, OptLevel optimization) {
        return open(MiniLmResources.onnxModel(), intraOpThreads, optimization);
    }

    /**
     * One thread, because the build machine is shared and results do not depend on it; constant
     * folding only (no fused kernels), so that the reference stays close to the plain graph.
     */
    public static OnnxReference open(Path onnxFile) {
        return open(onnxFile, 1, OptLevel.BASIC_OPT);
    }

    public static OnnxReference open(Path onnxFile, int intraOpThreads, OptLevel optimization) {
        try {
            return new OnnxReference(onnxFile, intraOpThreads, optimization);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load " + onnxFile, e);
        }
    }

    public Set<String> inputNames() {
        return session.getInputNames();
    }

    public Set<String> outputNames() {
        return session.getOutputNames();
    }

    /** Encoder output for one unpadded sentence: (T, H). */
    public float[][] lastHiddenState(long[] tokenIds) {
        return lastHiddenStates(new long[][] {tokenIds})[0];
    }

    /**
     * Encoder output for a right-padded batch: (B, T_max, H). Rows past a sentence's length are
     * the model's output at padding positions, which pooling must ignore.
     */
    public float[][][] lastHiddenStates(long[][] tokenIdsPerSentence) {
        long[][] ids = padded(tokenIdsPerSentence); // (B, T_max)
        long[][] mask = attentionMask(tokenIdsPerSentence, ids[0].length); // (B, T_max)
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(INPUT_IDS, OnnxTensor.createTensor(environment, ids));
            inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(environment, mask));
            if (inputNames().contains(TOKEN_TYPE_IDS)) {
                inputs.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(environment, new long[ids.length][ids[0].length]));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                return (float[][][]) result.get(LAST_HIDDEN_STATE).orElseThrow().getValue();
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + ids.length, e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** Mean-pooled, not normalised: (H). */
    public float[] meanPooled(long[] tokenIds) {
        return ReferencePooling.meanPool(lastHiddenState(tokenIds), ones(tokenIds.length));
    }

    /** Pooled by {@code mode} (MEAN or CLS), not normalised: (H). */
    public float[] pooled(long[] tokenIds, PoolingMode mode) {
        float[][] hidden = lastHiddenState(tokenIds); // (T, H)
        return switch (mode) {
            case MEAN -> ReferencePooling.meanPool(hidden, ones(tokenIds.length));
            case CLS -> hidden[0].clone(); // sentence-transformers: token_embeddings[:, 0]
            default -> throw new IllegalArgumentException("no reference for " + mode + " pooling");
        };
    }

    /** Mean-pooled and L2-normalised, as sentence-transformers gives for all-MiniLM-L6-v2: (H). */
    public float[] embed(long[] tokenIds) {
        return ReferencePooling.l2Normalize(meanPooled(tokenIds));
    }

    /** {@link #embed} for each sentence, computed in one padded batch: (B, H). */
    public float[][] embedBatch(long[][] tokenIdsPerSentence) {
        float[][][] hidden = lastHiddenStates(tokenIdsPerSentence); // (B, T_max, H)
        long[][] mask = attentionMask(tokenIdsPerSentence, hidden[0].length); // (B, T_max)
        float[][] embeddings = new float[hidden.length][];
        for (int b = 0; b < hidden.length; b++) {
            embeddings[b] = ReferencePooling.l2Normalize(ReferencePooling.meanPool(hidden[b], mask[b]));
        }
        return embeddings;
    }

    @Override
    public void close() {
        try {
            session.close(); // the environment is a process-wide singleton and stays open
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the ONNX Runtime session", e);
        }
    }

    private static long[][] padded(long[][] tokenIdsPerSentence) {
        int longest = 0;
        for (long[] sentence : tokenIdsPerSentence) {
            longest = Math.max(longest, sentence.length);
        }
        long[][] ids = new long[tokenIdsPerSentence.length][longest];
        for (int b = 0; b < ids.length; b++) {
            Arrays.fill(ids[b], PAD_ID);
            System.arraycopy(tokenIdsPerSentence[b], 0, ids[b], 0, tokenIdsPerSentence[b].length);
        }
        return ids;
    }

    private static long[][] attentionMask(long[][] tokenIdsPerSentence, int paddedLength) {
        long[][] mask = new long[tokenIdsPerSentence.length][paddedLength];
        for (int b = 0; b < mask.length; b++) {
            Arrays.fill(mask[b], 0, tokenIdsPerSentence[b].length, 1);
        }
        return mask;
    }

    private static long[] ones(int length) {
        long[] ones = new long[length];
        Arrays.fill(ones, 1);
        return ones;
    }
}
