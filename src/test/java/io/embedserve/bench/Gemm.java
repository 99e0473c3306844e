package io.embedserve.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import io.embedserve.inference.encode.ScriptPrograms;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dense-layer products through the paths libtorch offers on CPU, run by a TorchScript program
 * (gemm.py) the way the encoder runs them: {@code x·Wᵀ + b} with W stored (out, in) as
 * transformers stores it. FLOPs are 2·M·K·N (a multiply and an add per term).
 */
final class Gemm implements AutoCloseable {

    /** The paths, in gemm.py's numbering. */
    enum Path {
        FP32_MKL("float32 torch.linear (MKL)"),
        FP32_ONEDNN("float32 oneDNN, weight reordered once (the engine's path until 2026-12-07)"),
        BF16_MKL("bfloat16 torch.linear"),
        BF16_ONEDNN("bfloat16 oneDNN, weight reordered once"),
        INT8_DYNAMIC("int8 dynamic, per-channel weights (the engine's int8 path)"),
        FP32_ONEDNN_PLAIN("float32 oneDNN, plain weight layout (the engine's float32 path)"),
        BF16_ONEDNN_PLAIN("bfloat16 oneDNN, plain weight layout (the engine's bfloat16 path)");

        final String label;

        Path(String label) {
            this.label = label;
        }
    }

    private final NDManager manager;
    private final PtSymbolBlock program;
    private final PtNDArray input;
    final long m;
    final long k;
    final long n;

    /**
     * Random x (M, K), W (N, K), b (N), every path prepared once.
     *
     * @param bfloat16 whether to prepare the bfloat16 paths too: oneDNN cannot reorder a bfloat16
     *     weight on a CPU without bfloat16 support (AVX2 only), so those paths are left out there
     */
    Gemm(NDManager base, long m, long k, long n, boolean bfloat16) {
        this.manager = base.newSubManager();
        this.m = m;
        this.k = k;
        this.n = n;
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("training", false);
        attributes.put("prepared", List.of());
        attributes.put("packed", List.of());
        program = ScriptPrograms.compile("Gemm", "gemm.py", source("gemm.py"), attributes, manager);
        input = (PtNDArray) manager.randomUniform(-1f, 1f, new Shape(m, k));
        NDArray weight = manager.randomUniform(-1f, 1f, new Shape(n, k)).div((float) Math.sqrt(k));
        NDArray bias = manager.randomUniform(-0.1f, 0.1f, new Shape(n));
        try (IValue w = IValue.from((PtNDArray) weight); IValue b = IValue.from((PtNDArray) bias);
                IValue withBfloat16 = IValue.from(bfloat16)) {
            IValueUtils.runMethod(program, "prepare", w, b, withBfloat16).close();
        }
    }

    double flops() {
        return 2.0 * m * k * n;
    }

    /** Seconds for one product, timed over {@code reps} products in one program call. */
    double secondsPerProduct(Path path, int reps) {
        long started = System.nanoTime();
        run(path, reps).close();
        return (System.nanoTime() - started) / 1e9 / reps;
    }

    /** One product's output, float32 (M, N). */
    float[] output(Path path) {
        try (IValue y = run(path, 1)) {
            return y.toTensor((PtNDManager) manager).toFloatArray();
        }
    }

    private IValue run(Path path, int reps) {
        try (IValue x = IValue.from(input); IValue p = IValue.from((long) path.ordinal()); IValue r = IValue.from((long) reps)) {
            return IValueUtils.runMethod(program, "dense", x, p, r);
        }
    }

    static String source(String name) {
        try (InputStream in = Gemm.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
