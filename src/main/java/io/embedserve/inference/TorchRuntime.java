package io.embedserve.inference;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** The PyTorch engine, offline, with its thread count set once. */
public final class TorchRuntime {

    private static final String ENGINE = "PyTorch";

    /**
     * Process environment the native code reads once, at start-up, so the service cannot set it
     * itself; the Dockerfile and the README's run command set it (measurements in
     * docs/PERFORMANCE.md). OMP_WAIT_POLICY=PASSIVE: OpenMP's default spin-waiting (about 3 ms by
     * libgomp's own estimate) made forward passes 25-45x slower whenever request or tokenizer
     * threads needed a CPU. GOMP_SPINCOUNT: with no spinning at all every operator of a forward pass
     * has to wake the sleeping OpenMP thread; spinning a tenth of the default before sleeping made a
     * single sentence 45% faster (all-MiniLM batch 1: 195-197 against 124-139 sentences/s) and left
     * the service at 32 clients unchanged. The MALLOC_ settings: one arena, and buffers under 1 MiB
     * kept for the next batch; larger ones are mapped fresh and returned on free. Keeping every
     * freed buffer (a threshold of 10^9) made an all-MiniLM batch of 32 page-fault 29-31 times
     * instead of 6-10 thousand, but the process then grew without bound over batches of varied
     * shapes (the real-shape model: +2.6 GiB over 160 random batches; with 1 MiB: +84 MiB over 140), so no
     * memory limit could be safe (docs/PERFORMANCE.md, "Memory per batch"). The image preloads
     * jemalloc instead (LD_PRELOAD), where these glibc settings do nothing: as bounded, with fewer
     * page faults (docs/PERFORMANCE.md, "Allocator").
     */
    public static final Map<String, String> NATIVE_ENVIRONMENT = nativeEnvironment();

    static {
        // DJL must never try to download anything: the native library ships in the jar.
        System.setProperty("ai.djl.offline", "true");
    }

    private TorchRuntime() {}

    private static Map<String, String> nativeEnvironment() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("OMP_WAIT_POLICY", "PASSIVE");
        settings.put("GOMP_SPINCOUNT", "30000");
        settings.put("MALLOC_ARENA_MAX", "1");
        settings.put("MALLOC_MMAP_THRESHOLD_", "1048576");
        settings.put("MALLOC_TRIM_THRESHOLD_", "1000000000");
        return java.util.Collections.unmodifiableMap(settings);
    }

    /**
     * Sets PyTorch's intra-op threads. Call before the first model loads; {@code threads} ≤ 0 means
     * the JVM's availableProcessors, which follows the container's CPU quota.
     */
    public static synchronized void configureThreads(int threads) {
        List<String> missing = missingNativeEnvironment(System.getenv());
        if (!missing.isEmpty()) {
            LoggerFactory.getLogger(TorchRuntime.class).warn(
                    "Set {} before starting the JVM (the Docker image does). Without OMP_WAIT_POLICY=PASSIVE"
                            + " forward passes ran 25-45x slower whenever request or tokenizer threads needed"
                            + " a CPU; without GOMP_SPINCOUNT a single sentence takes 45% longer; without the"
                            + " MALLOC_ settings the process grows over batches of varied shapes (or preload"
                            + " jemalloc, as the image does: LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2;"
                            + " docs/PERFORMANCE.md).",
                    String.join(" ", missing));
        }
        int count = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        // Read by DJL when the engine starts; setNumThreads covers an engine already started.
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(count));
        Engine.getEngine(ENGINE);
        JniUtils.setNumThreads(count);
    }

    /** The settings of {@link #NATIVE_ENVIRONMENT} that {@code environment} lacks, as NAME=value. */
    static List<String> missingNativeEnvironment(Map<String, String> environment) {
        return NATIVE_ENVIRONMENT.entrySet().stream()
                .filter(e -> !e.getValue().equals(environment.get(e.getKey())))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.toList());
    }

    static NDManager newManager() {
        return NDManager.newBaseManager(ENGINE);
    }
}
