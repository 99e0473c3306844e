package io.embedserve.inference.encode;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import io.embedserve.inference.SentenceModel;
import java.util.Map;

/**
 * Lets benchmarks compile their own small TorchScript programs the way the encoder is compiled, and
 * load a model's weights into another version of the encoder program, to compare the two.
 */
public final class ScriptPrograms {

    private ScriptPrograms() {}

    public static PtSymbolBlock compile(String className, String sourceName, String source,
            Map<String, Object> attributes, NDManager manager) {
        return TorchScriptArchive.load(className, sourceName, source, attributes, (PtNDManager) manager);
    }

    /** {@code model}'s checkpoint bound to {@code source} instead of encoder.py; weights live in {@code manager}. */
    public static ScriptEncoder encoder(String source, SentenceModel model, NDManager manager) {
        return ScriptEncoder.load(source, model.snapshot().directory(), model.encoderConfig(),
                new EncoderHead.SentenceEmbedding(model.pipeline().pooling(), model.pipeline().denseModules()),
                model.dtype(), DenseSelfCheck.Tolerances.of(model.dtype()), manager);
    }
}
