package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.encode.ComputeDtype;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.RetrievalCorpus;
import io.embedserve.testsupport.Sentences;
import io.embedserve.testsupport.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The speed dtypes against float32 on real all-MiniLM-L6-v2 weights, over 1,000 retrieval-shaped
 * texts plus the varied-script sentences: the bounds the service states for DTYPE. float32 itself
 * is held to ONNX Runtime by MiniLmEquivalenceTest.
 */
class DtypeFidelityTest {

    static final ModelSnapshot MINILM = new ModelSnapshot(MiniLmFixture.modelDirectory(), "all-MiniLM-L6-v2", "local");

    static List<TokenizedInput> inputs;
    static float[][] float32;

    @BeforeAll
    static void float32Vectors() {
        List<String> texts = new ArrayList<>(RetrievalCorpus.texts(1000, 7));
        texts.addAll(Sentences.VARIED);
        try (SentenceModel model = SentenceModel.load(MINILM, null, ComputeDtype.FLOAT32)) {
            inputs = new ArrayList<>();
            for (String text : texts) {
                long[] ids = io.embedserve.inference.tokenize.Truncation.truncate(
                        model.tokenizer().encode(text), 256, TruncationDirection.RIGHT);
                inputs.add(new TokenizedInput(text, ids, TruncationDirection.RIGHT, 256));
            }
            float32 = model.encode(inputs).vectors();
        }
    }

    /** The smallest cosine between a dtype's raw pooled vectors and float32's, over every input. */
    static double minCosineToFloat32(ComputeDtype dtype) {
        try (SentenceModel model = SentenceModel.load(MINILM, null, dtype)) {
            float[][] vectors = model.encode(inputs).vectors();
            double min = 1;
            for (int i = 0; i < vectors.length; i++) {
                min = Math.min(min, Vectors.cosine(vectors[i], Vectors.toDouble(float32[i])));
            }
            System.out.printf("%s: min cosine to float32 %.6f over %d inputs%n", dtype.wireName(), min, vectors.length);
            return min;
        }
    }

    @Test
    void bfloat16StaysWithinCosine09995OfFloat32() {
        assertThat(inputs).hasSizeGreaterThanOrEqualTo(1000);
        assertThat(minCosineToFloat32(ComputeDtype.BFLOAT16)).isGreaterThanOrEqualTo(0.9995);
    }

    /**
     * int8 is refused at start because it misses 0.995 (ComputeDtype.INT8's reason). This keeps the
     * reason true: should it ever reach the bound, the refusal must go.
     */
    @Test
    void int8StillMissesTheBoundItIsRefusedFor() {
        assertThat(ComputeDtype.INT8.refusal()).contains("0.995");
        assertThat(minCosineToFloat32(ComputeDtype.INT8)).isLessThan(0.995);
    }
}
