package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.EncoderCheckpoint;
import io.embedserve.testsupport.ReferenceEncoder;
import io.embedserve.testsupport.TinyEncoderModel;
import io.embedserve.testsupport.Vectors;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every hidden_act the service accepts, each model_type, and layer_norm_eps, against the
 * double-precision {@link ReferenceEncoder} (which computes each activation from its own formula),
 * alone and in one padded batch. Each setting is also shown to matter: the reference computed with
 * the wrong setting misses the service's vectors by far more than the tolerance, so a service that
 * ignored the setting could not pass.
 */
class EncoderConfigReferenceTest {

    static final List<String> SENTENCES = List.of(
            "hello world", "a", "the cat sat on the mat", "good day, world. the cat is good",
            "hello hello hello world world the mat mat sat on a good day is good 12345");

    @TempDir
    Path dir;

    /** Loads {@code tiny}, encodes {@link #SENTENCES} alone and batched, returns the batched vectors. */
    float[][] encodeAndCompare(TinyEncoderModel tiny, EncoderCheckpoint expectedFrom) {
        tiny.writeTo(dir);
        ReferenceEncoder reference = new ReferenceEncoder(expectedFrom);
        try (SentenceModel model = SentenceModel.load(new ModelSnapshot(dir, "tiny", "local"), null)) {
            List<long[]> ids = SENTENCES.stream().map(s -> model.tokenizer().encode(s).ids()).toList();
            float[][] batched = model.encodeBatch(ids);
            for (int i = 0; i < ids.size(); i++) {
                double[] expected = ReferenceEncoder.meanPool(reference.lastHiddenState(ids.get(i)));
                Vectors.assertSameVector(SENTENCES.get(i) + " alone", model.encodeBatch(List.of(ids.get(i)))[0], expected);
                Vectors.assertSameVector(SENTENCES.get(i) + " batched", batched[i], expected);
            }
            return batched;
        }
    }

    /** The largest |Δ| between the service's vectors and a reference computed from {@code other}. */
    double distanceFrom(float[][] actual, EncoderCheckpoint other) {
        ReferenceEncoder reference = new ReferenceEncoder(other);
        double max = 0;
        try (SentenceModel model = SentenceModel.load(new ModelSnapshot(dir, "tiny", "local"), null)) {
            for (int i = 0; i < SENTENCES.size(); i++) {
                long[] ids = model.tokenizer().encode(SENTENCES.get(i)).ids();
                max = Math.max(max, Vectors.maxAbsDifference(actual[i],
                        ReferenceEncoder.meanPool(reference.lastHiddenState(ids))));
            }
        }
        return max;
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
        "bert,        gelu",
        "bert,        gelu_new",
        "bert,        gelu_pytorch_tanh",
        "bert,        relu",
        "bert,        tanh",
        "roberta,     gelu",
        "roberta,     gelu_new",
        "xlm-roberta, gelu",
        "xlm-roberta, relu",
    })
    void matchesTheReferenceForEachAcceptedActivationAndModelType(String modelType, String hiddenAct) {
        TinyEncoderModel tiny = TinyEncoderModel.of(modelType, hiddenAct, modelType.equals("bert") ? 1e-12 : 1e-5, 17);
        float[][] actual = encodeAndCompare(tiny, tiny);

        String other = hiddenAct.equals("relu") ? "tanh" : "relu";
        assertThat(distanceFrom(actual, new Overridden(tiny, other, tiny.layerNormEps(), tiny.modelType())))
                .as("a reference with %s instead of %s", other, hiddenAct).isGreaterThan(100 * Vectors.MAX_ABS_DIFFERENCE);
    }

    @Test
    void tellsExactGeluFromItsTanhApproximation() {
        TinyEncoderModel tiny = TinyEncoderModel.of("bert", "gelu_new", 1e-12, 17);
        float[][] actual = encodeAndCompare(tiny, tiny);
        assertThat(distanceFrom(actual, new Overridden(tiny, "gelu", 1e-12, "bert")))
                .isGreaterThan(Vectors.MAX_ABS_DIFFERENCE);
    }

    @Test
    void robertaPositionsStartAfterThePaddingId() {
        TinyEncoderModel tiny = TinyEncoderModel.of("roberta", "gelu", 1e-5, 23);
        float[][] actual = encodeAndCompare(tiny, tiny);
        // The same weights read as BERT (positions from 0) give other vectors.
        assertThat(distanceFrom(actual, new Overridden(tiny, "gelu", 1e-5, "bert")))
                .isGreaterThan(100 * Vectors.MAX_ABS_DIFFERENCE);
    }

    @Test
    void honoursLayerNormEps() {
        // eps 1 against hidden states of variance ~1: ignoring it (or using transformers' default
        // 1e-12) rescales every LayerNorm output by about 30%.
        TinyEncoderModel tiny = TinyEncoderModel.of("bert", "gelu", 1.0, 29);
        float[][] actual = encodeAndCompare(tiny, tiny);
        assertThat(distanceFrom(actual, new Overridden(tiny, "gelu", 1e-12, "bert")))
                .isGreaterThan(100 * Vectors.MAX_ABS_DIFFERENCE);
    }

    /** {@code base}'s weights read with another activation, epsilon or model type. */
    record Overridden(EncoderCheckpoint base, String hiddenAct, double layerNormEps, String modelType)
            implements EncoderCheckpoint {

        @Override
        public int hiddenSize() {
            return base.hiddenSize();
        }

        @Override
        public int numAttentionHeads() {
            return base.numAttentionHeads();
        }

        @Override
        public int numHiddenLayers() {
            return base.numHiddenLayers();
        }

        @Override
        public int padTokenId() {
            return base.padTokenId();
        }

        @Override
        public float[] weight(String name) {
            return base.weight(name);
        }
    }
}
