package io.embedserve.inference.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.embedserve.error.ModelLoadException;
import io.embedserve.inference.tokenize.TextTokenizer;
import io.embedserve.model.EncoderConfig;
import io.embedserve.model.PoolingMode;
import io.embedserve.testsupport.CpuFeatures;
import io.embedserve.testsupport.ReferenceEncoder;
import io.embedserve.testsupport.TinyEncoderModel;
import io.embedserve.testsupport.Vectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load-time check of the dense layers: a shape whose fast path misses its tolerance runs on
 * the float32 reference path in every layer, with vectors that still match a plain
 * double-precision forward pass; a model with no exact path does not load.
 */
class DenseSelfCheckTest {

    static final List<String> SENTENCES = List.of("hello world", "a", "the cat sat on the mat",
            "hello hello hello world world the mat mat sat on a good day is good 12345");

    @TempDir
    static Path dir;

    static TinyEncoderModel tiny;
    static EncoderConfig config;
    static NDManager manager;
    static TextTokenizer tokenizer;

    @BeforeAll
    static void write() {
        System.setProperty("ai.djl.offline", "true");
        System.out.println("CPU: " + CpuFeatures.read().describe());
        tiny = TinyEncoderModel.xlmRoberta(42);
        tiny.writeTo(dir);
        config = EncoderConfig.read(dir.resolve("config.json"));
        manager = NDManager.newBaseManager("PyTorch");
        tokenizer = TextTokenizer.load(dir.resolve("tokenizer.json"), false);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
        manager.close();
    }

    static ScriptEncoder load(DenseSelfCheck.Tolerances tolerances, NDManager owner) {
        return ScriptEncoder.load(ScriptEncoder.source(), dir, config, EncoderHead.SentenceEmbedding.pooled(PoolingMode.MEAN),
                ComputeDtype.FLOAT32, tolerances, owner);
    }

    @Test
    void everyShapeOfTheTinyModelIsCheckedAndReportsItsPathAndError() {
        try (NDManager owner = manager.newSubManager()) {
            List<DenseCheck> checks = load(DenseSelfCheck.Tolerances.of(ComputeDtype.FLOAT32), owner).denseChecks();
            assertThat(checks).extracting(c -> c.inFeatures() + "->" + c.outFeatures())
                    .containsExactly("32->96", "32->32", "32->64", "64->32");
            assertThat(checks).allSatisfy(check -> {
                assertThat(check.layers()).isEqualTo(TinyEncoderModel.LAYERS);
                assertThat(check.worstError()).isBetween(0.0, 1e-5);
                assertThat(check.path()).isEqualTo(check.fellBack() ? "torch.linear float32" : "onednn float32");
                System.out.println("hidden-32 model on " + CpuFeatures.read().describe() + ": " + check.describe());
            });
        }
    }

    @Test
    void forcedFallbackRunsEveryShapeOnTheReferencePathAndTheVectorsStayExact() {
        try (NDManager owner = manager.newSubManager()) {
            ScriptEncoder encoder = load(new DenseSelfCheck.Tolerances(-1, 1e-5), owner);
            assertThat(encoder.denseChecks()).hasSize(4).allSatisfy(check -> {
                assertThat(check.fellBack()).isTrue();
                assertThat(check.path()).isEqualTo("torch.linear float32");
                assertThat(check.fastPathFailure()).startsWith("onednn float32: relative error").contains("exceeds");
                assertThat(check.worstError()).isLessThanOrEqualTo(1e-5);
            });
            ReferenceEncoder reference = new ReferenceEncoder(tiny);
            List<long[]> batch = new ArrayList<>();
            for (String sentence : SENTENCES) {
                batch.add(tokenizer.encode(sentence).ids());
            }
            float[][] vectors = encoder.encode(batch);
            for (int i = 0; i < batch.size(); i++) {
                Vectors.assertSameVector(SENTENCES.get(i), vectors[i],
                        ReferenceEncoder.meanPool(reference.lastHiddenState(batch.get(i))));
            }
        }
    }

    @Test
    void aModelWithNoExactPathIsRefusedNamingTheLayer() {
        try (NDManager owner = manager.newSubManager()) {
            assertThatThrownBy(() -> load(new DenseSelfCheck.Tolerances(-1, -1), owner))
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessageContaining("encoder.layer.0.attention.self.query/key/value (32 -> 96)")
                    .hasMessageContaining("wrong results on this CPU on every path");
        }
    }

    @Test
    void layersAreGroupedByWhatDecidesTheirKernel() {
        // intermediate == 3 × hidden: the fused projection and the intermediate layer share in and out
        // widths but not the fused activation, so they are checked apart.
        List<DenseSelfCheck.DenseLayer> wide = new ArrayList<>();
        for (int layer = 0; layer < 3; layer++) {
            wide.addAll(layer(layer, 32, 96));
        }
        assertThat(DenseSelfCheck.distinctShapes(wide)).hasSize(4)
                .containsValue(List.of(0, 4, 8)).containsValue(List.of(2, 6, 10));
        List<DenseSelfCheck.DenseLayer> square = new ArrayList<>();
        for (int layer = 0; layer < 2; layer++) {
            square.addAll(layer(layer, 32, 32));
        }
        // attention output (32->32) and output (32->32, no activation) share a kernel
        assertThat(DenseSelfCheck.distinctShapes(square).values()).contains(List.of(1, 3, 5, 7));
        assertThat(DenseSelfCheck.distinctShapes(square).keySet()).extracting(DenseSelfCheck.ShapeKey::name)
                .contains("encoder.layer.0.attention.output.dense");
    }

    /** One BERT layer's four dense layers as encoder.py numbers and names them. */
    static List<DenseSelfCheck.DenseLayer> layer(int layer, int hidden, int intermediate) {
        String prefix = "encoder.layer." + layer + ".";
        return List.of(
                new DenseSelfCheck.DenseLayer(4 * layer, prefix + "attention.self.query/key/value", hidden, 3 * hidden, 0),
                new DenseSelfCheck.DenseLayer(4 * layer + 1, prefix + "attention.output.dense", hidden, hidden, 1),
                new DenseSelfCheck.DenseLayer(4 * layer + 2, prefix + "intermediate.dense", hidden, intermediate, 2),
                new DenseSelfCheck.DenseLayer(4 * layer + 3, prefix + "output.dense", intermediate, hidden, 3));
    }
}
