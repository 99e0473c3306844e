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
 */
record MemoryEstimate(long weights, long activations, long heap, long runtime, int batchInputs, int batchLength,
        int workers) {

    long total() {
        return weights + activations + heap + runtime;
    }

    /** The sum with its parts, in MiB, for the start-up log and the refusal. */
    String describe() {
        return String.format(Locale.ROOT,
                "%s (weights %s + %s, %d × %d tokens, %s + Java heap maximum %s + runtime %s)",
                mib(total()), mib(weights), workers == 1 ? "the largest batch" : workers + " workers' largest batches",
                batchInputs, batchLength, mib(activations), mib(heap), mib(runtime));
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", (bytes + (1L << 20) - 1) >> 20);
    }
}
