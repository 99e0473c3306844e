package io.embedserve.config;

/**
 * How the CPUs are split for inference: {@code workers} threads each running whole batches from the
 * one queue, each with {@code threadsPerWorker} PyTorch intra-op threads.
 */
public record WorkerLayout(int workers, int threadsPerWorker) {

    /**
     * Resolves unset (0) values: one worker per CPU with one thread each, unless the threads are
     * given, in which case the CPUs are divided by them.
     */
    static WorkerLayout resolve(int workers, int threads, int cpus) {
        int cpuCount = Math.max(1, cpus);
        if (workers > 0 && threads > 0) {
            return new WorkerLayout(workers, threads);
        }
        if (workers > 0) {
            return new WorkerLayout(workers, Math.max(1, cpuCount / workers));
        }
        if (threads > 0) {
            return new WorkerLayout(Math.max(1, cpuCount / threads), threads);
        }
        return new WorkerLayout(cpuCount, 1);
    }
}
