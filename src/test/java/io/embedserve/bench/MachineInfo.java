package io.embedserve.bench;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a benchmark result depends on, printed above every report: CPU, cores, memory, JDK, DJL and
 * PyTorch versions, and the load average, so that a number measured on a busy machine says so.
 */
final class MachineInfo {

    private MachineInfo() {}

    static String describe() {
        List<String> cpuinfo = lines("/proc/cpuinfo");
        String model = firstValue(cpuinfo, "model name");
        String flags = firstValue(cpuinfo, "flags");
        long physicalCores = cpuinfo.stream().filter(l -> l.startsWith("core id")).distinct().count();
        String simd = flags.contains("avx512f") ? "AVX-512" : flags.contains("avx2") ? "AVX2" : "no AVX2";
        long memKb = Long.parseLong(firstValue(lines("/proc/meminfo"), "MemTotal").split(" ")[0]); // "24000000 kB"
        return String.format(Locale.ROOT,
                "cpu: %s (%s); logical CPUs visible to the JVM: %d; distinct core ids: %d%n"
                        + "%s%n"
                        + "memory: %.1f GiB; load average: %s%n"
                        + "jdk: %s %s; DJL %s; PyTorch %s%n"
                        + "threading environment: %s",
                model, simd, Runtime.getRuntime().availableProcessors(), physicalCores, cpuSignature(cpuinfo),
                memKb / 1024.0 / 1024.0, loadAverage(),
                System.getProperty("java.vm.name"), Runtime.version(),
                Engine.getDjlVersion(), Engine.getEngine("PyTorch").getVersion(), threadingEnvironment());
    }

    /** The kernels oneDNN and ONNX Runtime pick follow the CPU generation and these instruction sets. */
    private static final List<String> SIMD_FLAGS = List.of("avx", "avx2", "fma", "f16c", "avx_vnni", "avx512f",
            "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8");

    /** CPU family, model and stepping as the kernel reports them, and which of {@link #SIMD_FLAGS} it has. */
    static String cpuSignature(List<String> cpuinfo) {
        List<String> flags = List.of(firstValue(cpuinfo, "flags").split(" "));
        return String.format(Locale.ROOT, "cpu family %s model %s stepping %s; SIMD flags: %s",
                firstValue(cpuinfo, "cpu family"), firstValue(cpuinfo, "model\t"), firstValue(cpuinfo, "stepping"),
                SIMD_FLAGS.stream().filter(flags::contains).collect(Collectors.joining(" ")));
    }

    /**
     * OpenMP settings change PyTorch's speed by an order of magnitude when the CPUs are shared:
     * spinning workers that lose their core stall every parallel op (docs/PERFORMANCE.md).
     */
    static String threadingEnvironment() {
        String set = System.getenv().entrySet().stream()
                .filter(e -> e.getKey().startsWith("OMP_") || e.getKey().startsWith("GOMP_")
                        || e.getKey().startsWith("KMP_") || e.getKey().startsWith("MKL_"))
                .map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining(" "));
        return set.isEmpty() ? "no OMP_/GOMP_/KMP_/MKL_ variables set" : set;
    }

    /** The 1, 5 and 15 minute load averages: above the core count, other work competed. */
    static String loadAverage() {
        List<String> load = lines("/proc/loadavg");
        return load.isEmpty() ? "?" : String.join(" ", List.of(load.get(0).split(" ")).subList(0, 3));
    }

    private static String firstValue(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key)).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            return List.of();
        }
    }
}
