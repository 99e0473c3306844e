package io.embedserve.inference.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import io.embedserve.model.EncoderConfig;
import io.embedserve.model.ModelFamily;
import io.embedserve.model.PoolingMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * encoder.py's pooling on synthetic hidden states, no weights: the padded row holds values that
 * must not leak. The expected numbers are worked out by hand.
 */
class PoolingTest {

    static final EncoderConfig CONFIG = new EncoderConfig(ModelFamily.BERT, 10, 2, 1, 1, 4, "gelu", 1e-12, 8, 2, 0, 0);

    static NDManager manager;
    static PtNDArray hidden;
    static PtNDArray mask;

    @BeforeAll
    static void states() {
        System.setProperty("ai.djl.offline", "true");
        manager = NDManager.newBaseManager("PyTorch");
        // Batch of 2, T = 3, H = 2. Row 1 has one padding position holding 100s.
        hidden = (PtNDArray) manager.create(new float[] {
                1, 2, 3, 4, 5, -6,
                7, 8, -9, 10, 100, 100}, new Shape(2, 3, 2));
        mask = (PtNDArray) manager.create(new long[] {1, 1, 1, 1, 1, 0}, new Shape(2, 3));
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** Runs only the program's pool method: nothing is bound, so no weights are involved. */
    static float[] pool(PoolingMode mode) {
        try (NDManager scope = manager.newSubManager()) {
            PtSymbolBlock program = ScriptEncoder.compile(ScriptEncoder.attributes(CONFIG, mode, ComputeDtype.FLOAT32), (PtNDManager) scope);
            try (IValue h = IValue.from(hidden); IValue m = IValue.from(mask);
                    IValue pooled = IValueUtils.runMethod(program, "pool", h, m)) {
                return pooled.toTensor((PtNDManager) scope).toFloatArray();
            }
        }
    }

    @Test
    void meanPoolingIgnoresPadding() {
        assertThat(pool(PoolingMode.MEAN)).containsExactly(new float[] {3, 0, -1, 9}, within(1e-6f));
    }

    @Test
    void clsPoolingTakesTheFirstToken() {
        assertThat(pool(PoolingMode.CLS)).containsExactly(1, 2, 7, 8);
    }

    @Test
    void maxPoolingIgnoresPadding() {
        assertThat(pool(PoolingMode.MAX)).containsExactly(5, 4, 7, 10);
    }

    @Test
    void lastTokenPoolingTakesTheLastRealToken() {
        assertThat(pool(PoolingMode.LAST_TOKEN)).containsExactly(5, -6, -9, 10);
    }

    @Test
    void poolingModeNamesParse() {
        assertThat(PoolingMode.fromName("lasttoken")).isEqualTo(PoolingMode.LAST_TOKEN);
        assertThat(PoolingMode.fromName("last_token")).isEqualTo(PoolingMode.LAST_TOKEN);
        assertThat(PoolingMode.fromName("MEAN")).isEqualTo(PoolingMode.MEAN);
        assertThat(PoolingMode.fromName("weightedmean")).isNull();
    }
}
