package io.embedserve.inference.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.embedserve.model.PoolingMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pooling on synthetic hidden states, no weights: the padded row holds values that must not leak. */
class PoolingTest {

    static NDManager manager;
    static NDArray hidden;
    static NDArray mask;

    @BeforeAll
    static void states() {
        System.setProperty("ai.djl.offline", "true");
        manager = NDManager.newBaseManager("PyTorch");
        // Batch of 2, T = 3, H = 2. Row 1 has one padding position holding 100s.
        hidden = manager.create(new float[] {
                1, 2, 3, 4, 5, -6,
                7, 8, -9, 10, 100, 100}, new Shape(2, 3, 2));
        mask = manager.create(new float[] {1, 1, 1, 1, 1, 0}, new Shape(2, 3));
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static float[] pool(PoolingMode mode) {
        return Pooling.pool(mode, hidden, mask).toFloatArray();
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
