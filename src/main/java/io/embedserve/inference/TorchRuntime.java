package io.embedserve.inference;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import org.slf4j.LoggerFactory;

/** The PyTorch engine, offline, with its thread count set once. */
public final class TorchRuntime {

    private static final String ENGINE = "PyTorch";

    static {
        // DJL must never try to download anything: the native library ships in the jar.
        System.setProperty("ai.djl.offline", "true");
    }

    private TorchRuntime() {}

    /**
     * Sets PyTorch's intra-op threads. Call before the first model loads; {@code threads} ≤ 0 means
     * the JVM's availableProcessors, which follows the container's CPU quota.
     */
    public static synchronized void configureThreads(int threads) {
        if (System.getenv("OMP_WAIT_POLICY") == null) {
            // libgomp reads this once, when PyTorch loads, so it cannot be set from here.
            LoggerFactory.getLogger(TorchRuntime.class).warn(
                    "OMP_WAIT_POLICY is not set: set OMP_WAIT_POLICY=PASSIVE. With OpenMP's default"
                            + " spin-waiting, forward passes ran 25-45x slower whenever request or"
                            + " tokenizer threads needed a CPU (docs/PERFORMANCE.md).");
        }
        int count = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        // Read by DJL when the engine starts; setNumThreads covers an engine already started.
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(count));
        Engine.getEngine(ENGINE);
        JniUtils.setNumThreads(count);
    }

    static NDManager newManager() {
        return NDManager.newBaseManager(ENGINE);
    }
}
