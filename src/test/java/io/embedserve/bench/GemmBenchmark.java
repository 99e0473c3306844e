package io.embedserve.bench;

import ai.djl.ndarray.NDManager;
import io.embedserve.inference.TorchRuntime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Float32 GEMM throughput of DJL/PyTorch on this machine: the ceiling that EngineBenchmark compares
 * the encoder against. Shapes are M×K×N; the defaults are a large product with the encoder's
 * feed-forward shape (768→3072) and the same product for 128 rows, a typical batch.
 *
 * <pre>bench/gemm.sh --threads 2 --shapes 4096x768x3072,128x768x3072 --warmup 3 --reps 20</pre>
 */
public final class GemmBenchmark {

    private static final String USAGE = "GemmBenchmark [--threads 2] [--shapes MxKxN,...] [--forms matmul,linear]"
            + " [--warmup 3] [--reps 20]";

    private GemmBenchmark() {}

    public static void main(String[] args) {
        BenchArgs flags = BenchArgs.parse(args, BenchArgs.defaults(
                "threads", "2",
                "shapes", "4096x768x3072,512x768x3072,128x768x3072",
                "forms", "matmul,linear",
                "warmup", "3",
                "reps", "20"), USAGE);
        TorchRuntime.configureThreads(flags.integer("threads"));
        System.out.println("# GemmBenchmark " + flags.describe());
        System.out.println(MachineInfo.describe());
        System.out.println("PyTorch intra-op threads: " + flags.integer("threads") + "; float32; FLOPs = 2·M·K·N");
        System.out.println(Gemm.Result.header());
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            for (String shape : flags.list("shapes", Set.of())) {
                long[] mkn = parseShape(shape);
                for (String form : flags.list("forms", Set.of("matmul", "linear"))) {
                    Gemm.Result result = Gemm.measure(manager, Gemm.Form.valueOf(form.toUpperCase(Locale.ROOT)),
                            mkn[0], mkn[1], mkn[2], flags.integer("warmup"), flags.integer("reps"));
                    System.out.println(result.row());
                }
            }
        }
    }

    static long[] parseShape(String shape) {
        List<Long> dims = Arrays.stream(shape.split("x")).map(Long::valueOf).toList();
        if (dims.size() != 3) {
            throw new IllegalArgumentException("shape '" + shape + "' is not MxKxN");
        }
        return new long[] {dims.get(0), dims.get(1), dims.get(2)};
    }
}
