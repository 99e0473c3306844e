package io.embedserve.config;

import java.util.Locale;

/**
 * The most resident memory the process can need with the model and settings it starts with, in
 * bytes, by part ({@link MemoryBudget} computes it).
 *
 * @param weights the checkpoint's tensors as float32 (memory-mapped or widened) plus the dense
 *     layers' copies they compute from
 * @param activations what the largest batch the settings allow adds while it runs, once per worker
 * @param heap the Java heap's maximum: the JVM may grow into all of it before it collects
 * @param runtime the rest, measured: JVM metaspace, code and thread stacks, libtorch, tokenizers
 * @param batchInputs inputs in the largest batch
 * @param batchLength tokens per input in the largest batch (max_seq_length)
 * @param workers inference workers, each of which may run a largest batch at once
 * @param reranker the cross-encoder served beside the model, with its own weights and its own
 *     workers' largest batches (its heap and runtime are 0: the process's are counted once); null
 *     when there is none
 */
record MemoryEstimate(long weights, long activations, long heap, long runtime, int batchInputs, int batchLength,
        int workers, MemoryEstimate reranker) {

    MemoryEstimate(long weights, long activations, long heap, long runtime, int batchInputs, int batchLength,
            int workers) {
        this(weights, activations, heap, runtime, batchInputs, batchLength, workers, null);
    }

    long total() {
        return weights + activations + heap + runtime + (reranker == null ? 0 : reranker.total());
    }

    /** The sum with its parts, in MiB, for the start-up log and the refusal. */
    String describe() {
        String beside = reranker == null ? "" : " + reranker " + reranker.model();
        return String.format(Locale.ROOT, "%s (%s%s + Java heap maximum %s + runtime %s)",
                mib(total()), model(), beside, mib(heap), mib(runtime));
    }

    private String model() {
        return String.format(Locale.ROOT, "weights %s + %s, %d × %d tokens, %s", mib(weights),
                workers == 1 ? "the largest batch" : workers + " workers' largest batches",
                batchInputs, batchLength, mib(activations));
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", (bytes + (1L << 20) - 1) >> 20);
    }
}
