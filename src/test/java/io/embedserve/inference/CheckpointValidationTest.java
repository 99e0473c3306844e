package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.ModelLoadException;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.HalfPrecision;
import io.embedserve.testsupport.ReferenceEncoder;
import io.embedserve.testsupport.SafetensorsWriter;
import io.embedserve.testsupport.TinyEncoderModel;
import io.embedserve.testsupport.Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wrong checkpoint fails at load, naming the key or the file and what to fix. */
class CheckpointValidationTest {

    @TempDir
    Path dir;

    static ModelLoadException loadFailure(Path dir) {
        try (SentenceModel model = SentenceModel.load(new ModelSnapshot(dir, "t", "local"), null)) {
            throw new AssertionError("loaded " + model);
        } catch (ModelLoadException e) {
            return e;
        }
    }

    TinyEncoderModel writeWith(java.util.function.Consumer<TinyEncoderModel> change) {
        TinyEncoderModel tiny = TinyEncoderModel.xlmRoberta(3);
        change.accept(tiny);
        tiny.writeTo(dir);
        return tiny;
    }

    @Test
    void rejectsAnActivationItDoesNotImplement() throws java.io.IOException {
        writeWith(t -> {});
        Path config = dir.resolve("config.json");
        java.nio.file.Files.writeString(config, java.nio.file.Files.readString(config)
                .replace("\"hidden_act\": \"gelu\"", "\"hidden_act\": \"swish\""));
        assertThatThrownBy(() -> { throw loadFailure(dir); })
                .hasMessageContaining("hidden_act 'swish'").hasMessageContaining("gelu_pytorch_tanh");
    }

    @Test
    void rejectsCheckpointWithMissingTensor() {
        writeWith(t -> t.weights.remove("encoder.layer.1.output.dense.bias"));
        assertThatThrownBy(() -> { throw loadFailure(dir); })
                .hasMessageContaining("missing tensor encoder.layer.1.output.dense.bias");
    }

    @Test
    void rejectsTensorWithWrongShape() {
        writeWith(t -> {
            t.weights.put("encoder.layer.0.attention.self.key.weight", new float[TinyEncoderModel.HIDDEN * 8]);
            t.shapes.put("encoder.layer.0.attention.self.key.weight", new long[] {8, TinyEncoderModel.HIDDEN});
        });
        assertThatThrownBy(() -> { throw loadFailure(dir); })
                .hasMessageContaining("encoder.layer.0.attention.self.key.weight")
                .hasMessageContaining("[8, 32]").hasMessageContaining("[32, 32]");
    }

    @Test
    void rejectsTensorsNoModuleUses() {
        writeWith(t -> {
            t.weights.put("encoder.layer.2.output.dense.bias", new float[TinyEncoderModel.HIDDEN]);
            t.shapes.put("encoder.layer.2.output.dense.bias", new long[] {TinyEncoderModel.HIDDEN});
        });
        assertThatThrownBy(() -> { throw loadFailure(dir); })
                .hasMessageContaining("does not use").hasMessageContaining("encoder.layer.2.output.dense.bias");
    }

    @Test
    void acceptsAndIgnoresTheClassificationPooler() {
        writeWith(t -> {
            t.weights.put("pooler.dense.bias", new float[TinyEncoderModel.HIDDEN]);
            t.shapes.put("pooler.dense.bias", new long[] {TinyEncoderModel.HIDDEN});
        });
        SentenceModel.load(new ModelSnapshot(dir, "t", "local"), null).close();
    }

    @Test
    void rejectsUnsupportedModelType() throws IOException {
        writeWith(t -> { });
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json"))
                .replace("\"xlm-roberta\"", "\"gpt2\""));
        assertThatThrownBy(() -> { throw loadFailure(dir); })
                .hasMessageContaining("model_type 'gpt2'").hasMessageContaining("config.json");
    }

    @Test
    void rejectsRelativePositionEmbeddings() throws IOException {
        writeWith(t -> { });
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json"))
                .replace("\"absolute\"", "\"relative_key\""));
        assertThatThrownBy(() -> { throw loadFailure(dir); })
                .hasMessageContaining("position_embedding_type 'relative_key'");
    }

    @Test
    void rejectsCorruptConfigJson() throws IOException {
        writeWith(t -> { });
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": ");
        assertThatThrownBy(() -> { throw loadFailure(dir); })
                .hasMessageContaining(dir.resolve("config.json").toString());
    }

    @Test
    void rejectsModelWithoutPoolingUnlessPoolingIsSet() throws IOException {
        writeWith(t -> { });
        Files.delete(dir.resolve("modules.json"));
        assertThatThrownBy(() -> { throw loadFailure(dir); })
                .hasMessageContaining("POOLING").hasMessageContaining("never guesses");
        SentenceModel.load(new ModelSnapshot(dir, "t", "local"), io.embedserve.model.PoolingMode.CLS).close();
    }

    @Test
    void rejectsHalfWrittenSafetensors() throws IOException {
        writeWith(t -> { });
        Path weights = dir.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> { throw loadFailure(dir); })
                .hasMessageContaining(weights.toString()).hasMessageContaining("truncated");
    }

    @Test
    void aFloat16CheckpointGivesTheVectorItsFloat16WeightsGive() {
        TinyEncoderModel tiny = TinyEncoderModel.xlmRoberta(3);
        tiny.writeTo(dir, "cls", true, 16, "", SafetensorsWriter.Dtype.F16);
        // The reference forward pass, in doubles, on the same weights rounded to float16 as the file
        // holds them; and on the float32 weights, which the file no longer holds.
        TinyEncoderModel rounded = TinyEncoderModel.xlmRoberta(3);
        rounded.weights.replaceAll((name, values) -> toFloat16AndBack(values));
        ReferenceEncoder f16Reference = new ReferenceEncoder(rounded);
        ReferenceEncoder f32Reference = new ReferenceEncoder(tiny);

        try (SentenceModel model = SentenceModel.load(new ModelSnapshot(dir, "t", "local"), null)) {
            for (String text : new String[] {"hello world", "the cat sat on the mat", "xyz"}) {
                long[] ids = model.tokenizer().encode(text).ids();
                float[] actual = model.encodeBatch(List.of(ids))[0];
                double[] expected = ReferenceEncoder.pool("cls", f16Reference.lastHiddenState(ids));
                double[] fromF32 = ReferenceEncoder.pool("cls", f32Reference.lastHiddenState(ids));

                Vectors.assertSameVector(text, actual, expected);
                assertThat(Vectors.maxAbsDifference(actual, expected)).as("%s: nearer the float16 weights' vector", text)
                        .isLessThan(Vectors.maxAbsDifference(actual, fromF32));
            }
        }
    }

    static float[] toFloat16AndBack(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = HalfPrecision.f16BitsToFloat(HalfPrecision.toF16Bits(values[i]));
        }
        return out;
    }
}
