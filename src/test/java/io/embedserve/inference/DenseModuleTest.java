package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.ModelLoadException;
import io.embedserve.inference.encode.ComputeDtype;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.Fidelity;
import io.embedserve.testsupport.ReferenceDense;
import io.embedserve.testsupport.ReferenceEncoder;
import io.embedserve.testsupport.SafetensorsWriter;
import io.embedserve.testsupport.SentenceTransformerFiles;
import io.embedserve.testsupport.TinyDenseModule;
import io.embedserve.testsupport.TinyHubModel;
import io.embedserve.testsupport.Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sentence-transformers pipelines with Dense modules, in modules.json order, against the
 * double-precision references of the encoder, Pooling and Dense (models/Dense.py): the layouts of
 * distiluse-base-multilingual-cased-v2 (DistilBERT → mean → Dense tanh) and LaBSE (BERT → CLS →
 * Dense tanh → Normalize) at a small width, and chains the published models do not use (two Dense
 * modules, no bias, Identity and ReLU). The embedding's dimension becomes the last Dense module's
 * out_features.
 */
class DenseModuleTest {

    static final List<String> SENTENCES = List.of("Hello world", "a", "The cat sat on the mat.",
            "What is the capital of France? Paris is the capital city of France.");

    static final Fidelity FIDELITY = new Fidelity("Dense pipelines (distiluse-base-multilingual-cased-v2, LaBSE layouts)");

    @AfterAll
    static void report() {
        System.out.println(FIDELITY.report());
    }

    /** Loads {@code dir} and compares every sentence, alone and in one batch, with {@code expected}. */
    static void assertMatches(Path dir, Function<long[], double[]> expected, int dimension) {
        try (SentenceModel model = SentenceModel.load(new ModelSnapshot(dir, "tiny", "local"), null)) {
            assertThat(model.dimension()).isEqualTo(dimension);
            List<long[]> batch = SENTENCES.stream().map(s -> model.tokenizer().encode(s).ids()).toList();
            float[][] batched = model.encodeBatch(batch);
            for (int i = 0; i < batch.size(); i++) {
                double[] reference = expected.apply(batch.get(i));
                assertThat(batched[i]).hasSize(dimension);
                FIDELITY.assertSameVector(SENTENCES.get(i) + " alone", model.encodeBatch(List.of(batch.get(i)))[0], reference);
                FIDELITY.assertSameVector(SENTENCES.get(i) + " batched", batched[i], reference);
            }
        }
    }

    @Test
    void distiluseLayoutMeanPoolsThenRunsDenseTanh(@TempDir Path dir) {
        TinyHubModel encoder = TinyHubModel.distilbert(21);
        TinyDenseModule dense = new TinyDenseModule(TinyHubModel.HIDDEN, 24, true, TinyDenseModule.TANH, 22);
        encoder.writeTo(dir, "");
        SentenceTransformerFiles.write(dir, "mean", TinyHubModel.HIDDEN, 128, false, List.of(dense), false);
        ReferenceEncoder reference = new ReferenceEncoder(encoder);
        assertMatches(dir, ids -> ReferenceDense.apply(dense, ReferenceEncoder.meanPool(reference.lastHiddenState(ids))), 24);
    }

    @Test
    void labseLayoutTakesClsThenDenseTanhAndEndsInNormalize(@TempDir Path dir) {
        TinyHubModel encoder = TinyHubModel.bert(31);
        TinyDenseModule dense = new TinyDenseModule(TinyHubModel.HIDDEN, TinyHubModel.HIDDEN, true, TinyDenseModule.TANH, 32);
        encoder.writeTo(dir, "");
        SentenceTransformerFiles.write(dir, "cls", TinyHubModel.HIDDEN, 256, false, List.of(dense), true);
        ReferenceEncoder reference = new ReferenceEncoder(encoder);
        // The model gives the vector before Normalize; normalising is the service's (normalize: true).
        assertMatches(dir, ids -> ReferenceDense.apply(dense, ReferenceEncoder.pool("cls", reference.lastHiddenState(ids))),
                TinyHubModel.HIDDEN);
        try (SentenceModel model = SentenceModel.load(new ModelSnapshot(dir, "tiny", "local"), null)) {
            assertThat(model.pipeline().normalize()).isTrue();
            assertThat(model.pipeline().denseModules()).singleElement()
                    .satisfies(module -> assertThat(module.path()).isEqualTo("2_Dense"));
        }
    }

    @Test
    void chainedDenseModulesWithoutBiasRunInModulesJsonOrder(@TempDir Path dir) {
        TinyHubModel encoder = TinyHubModel.mpnet(41);
        TinyDenseModule first = new TinyDenseModule(TinyHubModel.HIDDEN, 20, false, TinyDenseModule.IDENTITY, 42);
        TinyDenseModule second = new TinyDenseModule(20, 12, true, TinyDenseModule.RELU, 43);
        encoder.writeTo(dir, "");
        SentenceTransformerFiles.write(dir, "max", TinyHubModel.HIDDEN, 384, false, List.of(first, second), true);
        ReferenceEncoder reference = new ReferenceEncoder(encoder);
        assertMatches(dir, ids -> ReferenceDense.apply(second,
                ReferenceDense.apply(first, ReferenceEncoder.pool("max", reference.lastHiddenState(ids)))), 12);
    }

    @Test
    void everyDenseModuleIsProvenByTheSelfCheck(@TempDir Path dir) {
        TinyHubModel.distilbert(21).writeTo(dir, "");
        SentenceTransformerFiles.write(dir, "mean", TinyHubModel.HIDDEN, 128, false,
                List.of(new TinyDenseModule(TinyHubModel.HIDDEN, 24, true, TinyDenseModule.TANH, 22)), false);
        try (SentenceModel model = SentenceModel.load(new ModelSnapshot(dir, "tiny", "local"), null)) {
            assertThat(model.denseChecks()).anySatisfy(check -> {
                assertThat(check.inFeatures()).isEqualTo(TinyHubModel.HIDDEN);
                assertThat(check.outFeatures()).isEqualTo(24);
                assertThat(check.kind()).isEqualTo(6);
                assertThat(check.worstError()).isLessThanOrEqualTo(1e-5);
            });
        }
    }

    @Test
    void bfloat16KeepsTheDenseModuleWithinItsStatedBound(@TempDir Path dir) {
        TinyHubModel encoder = TinyHubModel.distilbert(21);
        TinyDenseModule dense = new TinyDenseModule(TinyHubModel.HIDDEN, 24, true, TinyDenseModule.TANH, 22);
        encoder.writeTo(dir, "");
        SentenceTransformerFiles.write(dir, "mean", TinyHubModel.HIDDEN, 128, false, List.of(dense), false);
        ReferenceEncoder reference = new ReferenceEncoder(encoder);
        try (SentenceModel model = SentenceModel.load(new ModelSnapshot(dir, "tiny", "local"), null,
                ComputeDtype.BFLOAT16)) {
            for (String sentence : SENTENCES) {
                long[] ids = model.tokenizer().encode(sentence).ids();
                double[] expected = ReferenceDense.apply(dense, ReferenceEncoder.meanPool(reference.lastHiddenState(ids)));
                // DTYPE=bfloat16's promise: every vector within cosine 0.9995 of float32's
                assertThat(Vectors.cosine(model.encodeBatch(List.of(ids))[0], expected)).isGreaterThan(0.9995);
            }
        }
    }

    /** A distiluse-shaped directory, its Dense module in 2_Dense. */
    static Path distiluse(Path dir) {
        TinyHubModel.distilbert(21).writeTo(dir, "");
        SentenceTransformerFiles.write(dir, "mean", TinyHubModel.HIDDEN, 128, false,
                List.of(new TinyDenseModule(TinyHubModel.HIDDEN, 24, true, TinyDenseModule.TANH, 22)), false);
        return dir;
    }

    static void assertRefused(Path dir, String... fragments) {
        var thrown = assertThatThrownBy(() -> SentenceModel.load(new ModelSnapshot(dir, "tiny", "local"), null))
                .isInstanceOf(ModelLoadException.class);
        for (String fragment : fragments) {
            thrown.hasMessageContaining(fragment);
        }
    }

    @Test
    void aDenseFolderWithOnlyPytorchModelBinIsRefusedSayingHowToFixIt(@TempDir Path dir) throws IOException {
        distiluse(dir);
        Files.delete(dir.resolve("2_Dense/model.safetensors"));
        Files.write(dir.resolve("2_Dense/pytorch_model.bin"), new byte[] {0x50, 0x4b, 3, 4});
        assertRefused(dir, "2_Dense", "only pytorch_model.bin", "safetensors", "linear.weight");
    }

    @Test
    void aDenseFolderWithoutWeightsIsRefused(@TempDir Path dir) throws IOException {
        distiluse(dir);
        Files.delete(dir.resolve("2_Dense/model.safetensors"));
        assertRefused(dir, "2_Dense", "no model.safetensors");
    }

    @Test
    void aDenseModuleWhoseInFeaturesDoNotFollowIsRefused(@TempDir Path dir) throws IOException {
        distiluse(dir);
        Files.writeString(dir.resolve("2_Dense/config.json"), new TinyDenseModule(16, 24, true, TinyDenseModule.TANH, 1)
                .configJson());
        assertRefused(dir, "2_Dense", "in_features 16", "vectors of 32");
    }

    @Test
    void anActivationItDoesNotRunIsRefusedNamingIt(@TempDir Path dir) throws IOException {
        distiluse(dir);
        Files.writeString(dir.resolve("2_Dense/config.json"), new TinyDenseModule(TinyHubModel.HIDDEN, 24, true,
                "torch.nn.modules.activation.Softplus", 1).configJson());
        assertRefused(dir, "activation_function 'torch.nn.modules.activation.Softplus'", "torch.nn.modules.activation.Tanh");
    }

    @Test
    void aDenseFileWithATensorNothingTakesIsRefusedNamingIt(@TempDir Path dir) throws IOException {
        distiluse(dir);
        SafetensorsWriter writer = new SafetensorsWriter();
        writer.add("linear.weight", new long[] {24, TinyHubModel.HIDDEN}, new float[24 * TinyHubModel.HIDDEN],
                SafetensorsWriter.Dtype.F32);
        writer.add("linear.bias", new long[] {24}, new float[24], SafetensorsWriter.Dtype.F32);
        writer.add("linear.scale", new long[] {24}, new float[24], SafetensorsWriter.Dtype.F32);
        writer.write(dir.resolve("2_Dense/model.safetensors"));
        assertRefused(dir, "does not use", "linear.scale");
    }

    @Test
    void aDenseFileMissingItsBiasIsRefusedNamingIt(@TempDir Path dir) throws IOException {
        distiluse(dir);
        SafetensorsWriter writer = new SafetensorsWriter();
        writer.add("linear.weight", new long[] {24, TinyHubModel.HIDDEN}, new float[24 * TinyHubModel.HIDDEN],
                SafetensorsWriter.Dtype.F32);
        writer.write(dir.resolve("2_Dense/model.safetensors"));
        assertRefused(dir, "missing tensor linear.bias", "[24]");
    }

    @Test
    void modulesAfterNormalizeOrDenseBeforePoolingAreRefused(@TempDir Path dir) throws IOException {
        distiluse(dir);
        String dense = "{\"idx\": 2, \"name\": \"2\", \"path\": \"2_Dense\", \"type\": \"sentence_transformers.models.Dense\"}";
        String transformer = "{\"idx\": 0, \"name\": \"0\", \"path\": \"\", \"type\": \"sentence_transformers.models.Transformer\"}";
        String pooling = "{\"idx\": 1, \"name\": \"1\", \"path\": \"1_Pooling\", \"type\": \"sentence_transformers.models.Pooling\"}";
        String normalize = "{\"idx\": 3, \"name\": \"3\", \"path\": \"3_Normalize\", \"type\": \"sentence_transformers.models.Normalize\"}";
        Files.writeString(dir.resolve("modules.json"), "[" + transformer + "," + pooling + "," + normalize + "," + dense + "]");
        assertRefused(dir, "after Normalize");
        Files.writeString(dir.resolve("modules.json"), "[" + transformer + "," + dense + "," + pooling + "]");
        assertRefused(dir, "Dense module before Pooling");
    }
}
