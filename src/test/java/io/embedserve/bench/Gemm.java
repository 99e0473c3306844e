package io.embedserve.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * Float32 matrix products on DJL/PyTorch: the ceiling for an encoder whose time is almost all
 * matrix products. {@link Form#LINEAR} is the encoder's own call, {@code x·Wᵀ + b} with W stored
 * (out, in) as transformers stores it; {@link Form#MATMUL} is a plain (M, K)·(K, N).
 */
final class Gemm {

    enum Form { MATMUL, LINEAR }

    /** One measured shape; FLOPs counted as 2·M·K·N (a multiply and an add per term). */
    record Result(Form form, long m, long k, long n, Samples samples) {

        double flops() {
            return 2.0 * m * k * n;
        }

        /** From the median repetition: robust to the odd descheduled repetition on a busy machine. */
        double flopsPerSecond() {
            return flops() / (samples.percentileMillis(50) / 1e3);
        }

        double bestFlopsPerSecond() {
            return flops() / (samples.minMillis() / 1e3);
        }

        String row() {
            return String.format(Locale.ROOT, "%-7s %5d x %4d x %4d  %8.2f %8.2f %8.2f  %8.1f %8.1f  %d",
                    form.name().toLowerCase(Locale.ROOT), m, k, n, samples.meanMillis(), samples.percentileMillis(50),
                    samples.minMillis(), flopsPerSecond() / 1e9, bestFlopsPerSecond() / 1e9, samples.count());
        }

        static String header() {
            return "form      M      K      N   mean ms   p50 ms  best ms  GFLOP/s(p50) GFLOP/s(best)  reps";
        }
    }

    private Gemm() {}

    static Result measure(NDManager base, Form form, long m, long k, long n, int warmup, int reps) {
        try (NDManager scope = base.newSubManager()) {
            NDArray a = scope.randomUniform(-1f, 1f, new Shape(m, k)); // (M, K)
            NDArray b = form == Form.MATMUL
                    ? scope.randomUniform(-1f, 1f, new Shape(k, n)) // (K, N)
                    : scope.randomUniform(-1f, 1f, new Shape(n, k)); // (N, K), as nn.Linear stores it
            NDArray bias = scope.randomUniform(-1f, 1f, new Shape(n)); // (N)
            Samples samples = new Samples();
            for (int i = 0; i < warmup + reps; i++) {
                long started = System.nanoTime();
                // PyTorch on CPU is eager: the product is complete when the call returns.
                NDList out = form == Form.MATMUL
                        ? new NDList(a.matMul(b))
                        : ai.djl.nn.core.Linear.linear(a, b, bias);
                long elapsed = System.nanoTime() - started;
                out.close();
                if (i >= warmup) {
                    samples.add(elapsed);
                }
            }
            return new Result(form, m, k, n, samples);
        }
    }
}
