package io.embedserve.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * What /proc/cpuinfo says about this CPU, read independently of the code under test: tests use it to
 * know which kernels libtorch can have here, and print it so that a run names the CPU it passed on.
 *
 * @param family the {@code cpu family} line (25 Zen 3/Zen 4, 26 Zen 5)
 * @param model the {@code model} line
 * @param modelName the {@code model name} line
 * @param flags the {@code flags} line
 */
public record CpuFeatures(int family, int model, String modelName, Set<String> flags) {

    public static CpuFeatures read() {
        try {
            int family = -1;
            int model = -1;
            String name = "unknown";
            Set<String> flags = new TreeSet<>();
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                switch (key) {
                    case "cpu family" -> family = family < 0 ? Integer.parseInt(value) : family;
                    case "model" -> model = model < 0 ? Integer.parseInt(value) : model;
                    case "model name" -> name = "unknown".equals(name) ? value : name;
                    case "flags" -> {
                        if (flags.isEmpty()) {
                            flags.addAll(Arrays.asList(value.split("\\s+")));
                        }
                    }
                    default -> { }
                }
            }
            return new CpuFeatures(family, model, name, flags);
        } catch (IOException | RuntimeException e) {
            return new CpuFeatures(-1, -1, "unknown (" + e + ")", Set.of());
        }
    }

    /**
     * Whether oneDNN, as libtorch ships it, has bfloat16 inner-product kernels here: it needs AVX-512
     * with the BW, VL and DQ extensions (emulating bfloat16 arithmetic if avx512_bf16 is missing), or
     * AMX. Without them a bfloat16 dense layer cannot be created at all.
     */
    public boolean runsBfloat16Kernels() {
        return flags.containsAll(Set.of("avx512bw", "avx512vl", "avx512dq")) || flags.contains("amx_bf16");
    }

    /** family/model/name and the vector extensions that decide kernels, for a test's report. */
    public String describe() {
        Set<String> vector = new TreeSet<>();
        flags.stream().filter(f -> f.startsWith("avx") || f.startsWith("amx")).forEach(vector::add);
        return "cpu family " + family + " model " + model + " (" + modelName + "), " + String.join(" ", vector);
    }
}
