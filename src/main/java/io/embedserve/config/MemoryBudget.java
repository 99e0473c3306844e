package io.embedserve.config;

import io.embedserve.error.ModelLoadException;
import io.embedserve.inference.encode.ComputeDtype;
import io.embedserve.model.EncoderConfig;
import io.embedserve.model.ModelFamily;
import java.lang.management.ManagementFactory;

/**
 * Safe settings by construction: before the model loads, the process's worst-case resident memory
 * is estimated from the model's config.json, max_seq_length, the batch limits and DTYPE, and a
 * combination that cannot fit the memory the process may use stops the start, naming both numbers
 * and what to change. The constants are calibrated on measurements (docs/PERFORMANCE.md, "Memory
 * per batch") and err high.
 */
final class MemoryBudget {

    private static final long FLOAT32_BYTES = 4;

    /**
     * Activations per token are counted as this many times the float32 tensors a layer keeps alive
     * at once at its widest point (the feed-forward block: its input, the (T, I) intermediate, the
     * dense output and the residual sum, I + 3H floats per token). Measured on the default model's
     * shape, one batch in a fresh process: 0.9 times that with glibc's 1 MiB mmap threshold
     * (larger buffers go back to the system when freed; java -jar's settings), about the same with
     * jemalloc (the image's allocator: 1,824 against 1,786 MiB peak for 64 × 128), 2.0-3.0 times
     * when glibc keeps every freed buffer (MALLOC_MMAP_THRESHOLD_=10^9, which also grew without bound
     * over batches of varied shapes). 2.5 errs high for both shipped settings. (docs/PERFORMANCE.md,
     * "Memory per batch" and "Allocator".)
     */
    static final double ACTIVATION_FACTOR = 2.5;

    /**
     * Everything but weights, activations and the heap: JVM metaspace, code cache, GC structures and
     * thread stacks, libtorch's and the tokenizers' code and their own allocations. Measured for the
     * packaged service with the default model's shape at 250-262 MiB (its RSS less the weights'
     * pages, the batch's activations and the heap in use, idle and through a 64 x 128 batch);
     * counted as 512 MiB.
     */
    static final long RUNTIME_BYTES = 512L << 20;

    private MemoryBudget() {}

    /**
     * @param maxSeqLength the longest input after truncation (sentence-transformers' max_seq_length)
     * @param heapMax the Java heap's maximum ({@code Runtime.maxMemory()})
     * @param workers inference workers: each may run a largest batch at the same time
     */
    static MemoryEstimate estimate(EncoderConfig model, int maxSeqLength, ServingProperties serving,
            ComputeDtype dtype, long heapMax, int workers) {
        int inputs = largestBatchInputs(maxSeqLength, serving);
        return new MemoryEstimate(weightBytes(model, dtype), workers * activationBytes(model, inputs, maxSeqLength),
                heapMax, RUNTIME_BYTES, inputs, maxSeqLength, workers);
    }

    /**
     * Adds a cross-encoder served beside the model: its weights and, since it has workers and a queue
     * of its own, its own largest batch on each of them, at the same batch limits; the heap and the
     * runtime are the process's and are counted once.
     *
     * @param maxLength the cross-encoder's longest pair
     */
    static MemoryEstimate withReranker(MemoryEstimate first, EncoderConfig reranker, int maxLength,
            ServingProperties serving, ComputeDtype dtype) {
        int inputs = largestBatchInputs(maxLength, serving);
        long activations = first.workers() * activationBytes(reranker, inputs, maxLength);
        MemoryEstimate second = new MemoryEstimate(weightBytes(reranker, dtype), activations, 0, 0, inputs, maxLength,
                first.workers());
        return new MemoryEstimate(first.weights(), first.activations(), first.heap(), first.runtime(),
                first.batchInputs(), first.batchLength(), first.workers(), second);
    }

    /**
     * The largest batch is max_seq_length long: for a given number of padded tokens the longest
     * inputs cost most (attention grows with the square of the length). The batch planner always
     * takes one input, even one over the token budget.
     */
    static int largestBatchInputs(int maxSeqLength, ServingProperties serving) {
        return Math.min(serving.maxBatchRequests(), Math.max(1, serving.maxBatchTokens() / maxSeqLength));
    }

    /**
     * Every tensor as float32 (F32 checkpoints are mapped, and the word table's pages become resident
     * as the vocabulary gets used; F16 and BF16 ones are widened into memory), plus the copies the
     * dense layers compute from (encoder.py, prepare_dense and bind): in float32 only the fused
     * query/key/value projection is a new tensor, the other weights are the checkpoint's own; in
     * bfloat16 and int8 every dense weight is copied in its precision.
     */
    static long weightBytes(EncoderConfig model, ComputeDtype dtype) {
        long hidden = model.hiddenSize();
        long embeddings = ((long) model.vocabSize() + model.maxPositionEmbeddings() + model.typeVocabSize() + 2)
                * hidden // and the embeddings' LayerNorm
                + (long) model.relativeAttentionNumBuckets() * model.numAttentionHeads(); // MPNet's position bias
        // query, key, value, attention output (H × H each), intermediate (I × H), output (H × I), biases
        long dense = 4 * hidden * hidden + 2 * hidden * model.intermediateSize() + 5 * hidden
                + model.intermediateSize();
        long perLayer = dense + 4 * hidden; // and two LayerNorms
        long checkpoint = (embeddings + model.numHiddenLayers() * perLayer) * FLOAT32_BYTES;
        long fusedProjection = 3 * hidden * hidden + 3 * hidden;
        long copies = dtype == ComputeDtype.FLOAT32 ? fusedProjection * FLOAT32_BYTES : dense * denseBytes(dtype);
        return checkpoint + model.numHiddenLayers() * copies;
    }

    static long activationBytes(EncoderConfig model, int inputs, int length) {
        long tokens = (long) inputs * length;
        double perToken = ACTIVATION_FACTOR * FLOAT32_BYTES * (model.intermediateSize() + 3L * model.hiddenSize());
        // Attention scores, (B, heads, T, T) float32, in case the kernel ever materialises them whole.
        long scores = tokens * model.numAttentionHeads() * length * FLOAT32_BYTES;
        if (model.family() == ModelFamily.MPNET) {
            // MPNet's mask carries the relative position bias: one more (B, heads, T, T) float32
            // tensor, alive through every layer.
            scores *= 2;
        }
        return (long) (tokens * perToken) + scores;
    }

    private static long denseBytes(ComputeDtype dtype) {
        return switch (dtype) {
            case FLOAT32 -> 4;
            case BFLOAT16 -> 2;
            case INT8 -> 1;
        };
    }

    /**
     * The memory this process may use: the container's limit when there is one (cgroup v1 or v2),
     * else the machine's. This is the JDK's own container support, the same figure it sizes the heap
     * from with -XX:MaxRAMPercentage, so the two can never disagree about the limit.
     */
    static long visibleMemory() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }

    /** Refuses the start when {@code estimate} does not fit in {@code available} bytes. */
    static void require(MemoryEstimate estimate, long available, EncoderConfig model) {
        if (estimate.total() <= available) {
            return;
        }
        throw new ModelLoadException("Worst-case memory " + estimate.describe() + " exceeds the "
                + MemoryEstimate.mib(available) + " this process may use (the container's memory limit, or the"
                + " machine's memory without one). " + remedy(estimate, available, model));
    }

    private static String remedy(MemoryEstimate estimate, long available, EncoderConfig model) {
        long rest = estimate.total() - estimate.activations();
        int inputs = estimate.batchInputs();
        while (inputs > 1 && rest + estimate.workers() * activationBytes(model, inputs, estimate.batchLength()) > available) {
            inputs--;
        }
        // The image sizes the heap as a share of the limit (MaxRAMPercentage), so a larger limit
        // also grows the heap: solve limit = fixed + share × limit.
        double heapShare = Math.min(0.9, estimate.heap() / (double) available);
        long limit = (long) ((estimate.total() - estimate.heap()) / (1 - heapShare));
        String raise = "raise the container's memory limit (APP_MEM_LIMIT in compose, resources.limits.memory in"
                + " Kubernetes) to at least " + MemoryEstimate.mib(limit);
        if (rest + estimate.workers() * activationBytes(model, inputs, estimate.batchLength()) > available) {
            return "Even one input of " + estimate.batchLength() + " tokens does not fit"
                    + (estimate.workers() > 1 ? " on each of " + estimate.workers() + " workers" : "") + ": " + raise
                    + ", or lower the Java heap (-XX:MaxRAMPercentage or -Xmx in JAVA_TOOL_OPTIONS).";
        }
        return "Set MAX_BATCH_TOKENS to at most " + inputs * estimate.batchLength() + " (" + inputs
                + " inputs of " + estimate.batchLength() + " tokens)"
                + (estimate.workers() > 1 ? ", or run fewer INFERENCE_WORKERS (" + estimate.workers() + " now)" : "")
                + ", or " + raise + ".";
    }
}
