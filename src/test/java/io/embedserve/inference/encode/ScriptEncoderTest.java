package io.embedserve.inference.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import io.embedserve.error.ModelLoadException;
import io.embedserve.model.EncoderConfig;
import io.embedserve.model.ModelFamily;
import io.embedserve.model.PoolingMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The archive Java writes is one libtorch compiles, and a refused line is reported, quoted. */
class ScriptEncoderTest {

    static final EncoderConfig CONFIG = new EncoderConfig(ModelFamily.XLM_ROBERTA, 10, 8, 2, 2, 16, "gelu", 1e-5, 16, 1, 1, 0);

    static NDManager manager;

    @BeforeAll
    static void engine() {
        System.setProperty("ai.djl.offline", "true");
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void compiledProgramHasOneMethodPerTransformersModule() {
        PtSymbolBlock program = ScriptEncoder.compile(ScriptEncoder.attributes(CONFIG, PoolingMode.MEAN, ComputeDtype.FLOAT32), (PtNDManager) manager);
        assertThat(JniUtils.getMethodNames(program))
                .contains("forward", "embeddings", "attention", "feed_forward", "layer", "pool", "bind");
    }

    @Test
    void programLineLibtorchRefusesIsQuotedInTheLoadError() {
        String source = ScriptEncoder.source().replace("torch.layer_norm(summed", "torch.nn.functional.layer_norm(summed");
        assertThatThrownBy(() -> ScriptEncoder.compile(source, ScriptEncoder.attributes(CONFIG, PoolingMode.MEAN, ComputeDtype.FLOAT32), (PtNDManager) manager))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(ScriptEncoder.SOURCE)
                .hasMessageContaining("torch.nn.functional.layer_norm(summed");
    }
}
