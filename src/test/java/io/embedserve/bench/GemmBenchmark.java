package io.embedserve.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import io.embedserve.inference.TorchRuntime;
import io.embedserve.inference.encode.ScriptPrograms;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which GEMM this CPU runs fastest through libtorch, at the shapes the service computes: every
 * dense-layer path of {@link Gemm} on the same operands, in interleaved rounds (the machine's
 * speed drifts), reported as the median GFLOP/s with the relative RMS error against float32 MKL;
 * then attention, fused ({@code scaled_dot_product_attention}) against materialised scores.
 *
 * <pre>bench/gemm.sh --threads 2 --rounds 7</pre>
 *
 * Default shapes, M×K→N: all-MiniLM-L6-v2 at a length-sorted batch of 32 × 50 tokens (M 1600) and at
 * one 50-token sentence (M 50), each of its four dense layers; XLM-R base at 32 × 60 tokens; and a
 * large 4096×768→3072 product.
 */
public final class GemmBenchmark {

    static final String DEFAULT_SHAPES = String.join(",",
            "1600x384x1152", "1600x384x384", "1600x384x1536", "1600x1536x384",
            "50x384x1152", "50x384x1536", "50x1536x384",
            "1920x768x2304", "1920x768x3072", "1920x3072x768", "4096x768x3072");
    /** B×heads×T×D: all-MiniLM batch 32 and batch 1, XLM-R base batch 32 at 128 tokens. */
    static final String DEFAULT_ATTENTION = "32x12x64x32,1x12x50x32,32x12x128x64";

    private static final String USAGE = "GemmBenchmark [--threads 2] [--shapes MxKxN,...] [--attention BxHxTxD,...]"
            + " [--rounds 7] [--seconds-per-sample 0.3] [--paths FP32_MKL,FP32_ONEDNN_PLAIN,...]";

    private GemmBenchmark() {}

    public static void main(String[] args) {
        BenchArgs flags = BenchArgs.parse(args, BenchArgs.defaults(
                "threads", "2", "shapes", DEFAULT_SHAPES, "attention", DEFAULT_ATTENTION,
                "rounds", "7", "seconds-per-sample", "0.3", "paths", ""), USAGE);
        // A CPU without bfloat16 kernels cannot create oneDNN's bfloat16 primitives: leave those paths out there.
        Gemm.Path[] paths = flags.list("paths", Set.of()).isEmpty() ? Gemm.Path.values()
                : flags.list("paths", Set.of()).stream().map(Gemm.Path::valueOf).toArray(Gemm.Path[]::new);
        TorchRuntime.configureThreads(flags.integer("threads"));
        System.out.println("# GemmBenchmark " + flags.describe());
        System.out.println(MachineInfo.describe());
        System.out.println("PyTorch intra-op threads: " + flags.integer("threads")
                + "; median of interleaved rounds; FLOPs = 2·M·K·N; error = relative RMS against float32 MKL");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            System.out.println();
            System.out.println("| M×K→N | " + String.join(" | ", Arrays.stream(paths).map(p -> p.label).toList()) + " |");
            System.out.println("|---|" + "---:|".repeat(paths.length));
            for (String shape : flags.list("shapes", Set.of())) {
                long[] mkn = parseShape(shape);
                boolean bfloat16 = Arrays.stream(paths).anyMatch(path -> path.name().startsWith("BF16"));
                try (Gemm gemm = new Gemm(manager, mkn[0], mkn[1], mkn[2], bfloat16)) {
                    System.out.println(denseRow(gemm, paths, flags.integer("rounds"), flags.number("seconds-per-sample")));
                }
            }
            System.out.println();
            System.out.println("| attention B×heads×T×D | fused SDPA GFLOP/s | materialised GFLOP/s |");
            System.out.println("|---|---:|---:|");
            for (String shape : flags.list("attention", Set.of())) {
                System.out.println(attentionRow(manager, shape, flags.integer("rounds")));
            }
        }
    }

    static String denseRow(Gemm gemm, Gemm.Path[] paths, int rounds, double secondsPerSample) {
        float[] reference = gemm.output(Gemm.Path.FP32_MKL);
        int reps = Math.max(2, (int) (secondsPerSample * 100e9 / gemm.flops()));
        Map<Gemm.Path, List<Double>> samples = new LinkedHashMap<>();
        for (int round = 0; round <= rounds; round++) {
            for (Gemm.Path path : paths) {
                double seconds = gemm.secondsPerProduct(path, reps);
                if (round > 0) { // round 0 warms every path up
                    samples.computeIfAbsent(path, p -> new ArrayList<>()).add(gemm.flops() / seconds / 1e9);
                }
            }
        }
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %d×%d→%d |", gemm.m, gemm.k, gemm.n));
        for (Gemm.Path path : paths) {
            row.append(String.format(Locale.ROOT, " %.0f (err %.0e) |", median(samples.get(path)),
                    relativeRms(gemm.output(path), reference)));
        }
        return row.toString();
    }

    static String attentionRow(NDManager base, String shape, int rounds) {
        long[] d = Arrays.stream(shape.split("x")).mapToLong(Long::parseLong).toArray();
        try (NDManager manager = base.newSubManager()) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("training", false);
            attributes.put("prepared", List.of());
            attributes.put("packed", List.of());
            PtSymbolBlock program = ScriptPrograms.compile("Gemm", "gemm.py", Gemm.source("gemm.py"), attributes, manager);
            Shape qkv = new Shape(d[0], d[1], d[2], d[3]);
            NDArray q = manager.randomNormal(qkv);
            NDArray k = manager.randomNormal(qkv);
            NDArray v = manager.randomNormal(qkv);
            NDArray mask = manager.zeros(new Shape(d[0], 1, 1, d[2]));
            double flops = 4.0 * d[0] * d[1] * d[2] * d[2] * d[3];
            int reps = Math.max(2, (int) (0.3 * 50e9 / flops));
            List<Double> fused = new ArrayList<>();
            List<Double> materialised = new ArrayList<>();
            for (int round = 0; round <= rounds; round++) {
                for (boolean isFused : new boolean[] {true, false}) {
                    long started = System.nanoTime();
                    try (IValue a = IValue.from((PtNDArray) q); IValue b = IValue.from((PtNDArray) k);
                            IValue c = IValue.from((PtNDArray) v); IValue m = IValue.from((PtNDArray) mask);
                            IValue f = IValue.from(isFused); IValue r = IValue.from((long) reps)) {
                        IValueUtils.runMethod(program, "attention", a, b, c, m, f, r).close();
                    }
                    double gflops = flops * reps / ((System.nanoTime() - started) / 1e9) / 1e9;
                    if (round > 0) {
                        (isFused ? fused : materialised).add(gflops);
                    }
                }
            }
            return String.format(Locale.ROOT, "| %s | %.0f | %.0f |", shape, median(fused), median(materialised));
        }
    }

    /** The middle value, or the mean of the two middle ones for an even count (two rounds: their mean). */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    static double relativeRms(float[] actual, float[] reference) {
        double error = 0;
        double norm = 0;
        for (int i = 0; i < actual.length; i++) {
            error += (actual[i] - reference[i]) * (double) (actual[i] - reference[i]);
            norm += reference[i] * (double) reference[i];
        }
        return Math.sqrt(error / norm);
    }

    static long[] parseShape(String shape) {
        List<Long> dims = Arrays.stream(shape.split("x")).map(Long::valueOf).toList();
        if (dims.size() != 3) {
            throw new IllegalArgumentException("shape '" + shape + "' is not MxKxN");
        }
        return new long[] {dims.get(0), dims.get(1), dims.get(2)};
    }
}
