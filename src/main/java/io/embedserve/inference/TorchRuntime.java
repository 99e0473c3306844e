package io.embedserve.inference;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

/** The PyTorch engine, offline, with its thread count set once. */
public final class TorchRuntime {

    private static final String ENGINE = "PyTorch";

    private TorchRuntime() {}

    /**
     * Sets PyTorch's intra-op threads. Call before the first model loads; {@code threads} ≤ 0 means
     * the JVM's availableProcessors, which follows the container's CPU quota.
     */
    public static synchronized void configureThreads(int threads) {
        System.setProperty("ai.djl.offline", "true");
        int count = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        Engine.getEngine(ENGINE);
        JniUtils.setNumThreads(count);
    }

    static NDManager newManager() {
        System.setProperty("ai.djl.offline", "true");
        return NDManager.newBaseManager(ENGINE);
    }
}
