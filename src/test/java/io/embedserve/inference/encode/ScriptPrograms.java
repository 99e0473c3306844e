package io.embedserve.inference.encode;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import java.util.Map;

/** Lets benchmarks compile their own small TorchScript programs the way the encoder is compiled. */
public final class ScriptPrograms {

    private ScriptPrograms() {}

    public static PtSymbolBlock compile(String className, String sourceName, String source,
            Map<String, Object> attributes, NDManager manager) {
        return TorchScriptArchive.load(className, sourceName, source, attributes, (PtNDManager) manager);
    }
}
