package io.embedserve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.Arrays;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import org.junit.jupiter.api.Test;

/**
 * Running the fixture directory through a from-scratch BERT and getting ONNX Runtime's numbers
 * shows that config.json (heads, epsilon, activation) and model.safetensors (names, transposes)
 * together describe the network in the ONNX file, which no shape check can show.
 */
class PlainJavaBertTest {

    @Test
    void fixtureDirectoryReproducesTheOnnxRuntimeHiddenStates() throws Exception {
        System.setProperty("ai.djl.offline", "true");
        long[] ids;
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
                MiniLmFixture.modelDirectory().resolve("tokenizer.json"))) {
            ids = tokenizer.encode("A man is playing a guitar on stage.").getIds(); // padding=longest: none for one text
        }
        float[][] plain = PlainJavaBert.load(MiniLmFixture.modelDirectory()).lastHiddenState(ids); // (T, H)
        float[][] onnx;
        try (OnnxReference reference = OnnxReference.miniLm()) {
            onnx = reference.lastHiddenState(ids); // (T, H)
        }

        assertThat(plain.length).isEqualTo(onnx.length);
        for (int t = 0; t < ids.length; t++) {
            assertThat(ReferencePooling.maxAbsDifference(plain[t], onnx[t])).as("token %d", t).isLessThan(2e-5); // ~2e-6 seen
        }
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1);
        assertThat(ReferencePooling.cosine(ReferencePooling.meanPool(plain, mask), ReferencePooling.meanPool(onnx, mask)))
                .isGreaterThan(0.99999);
    }

    @Test
    void erfMatchesTabulatedValues() {
        // Abramowitz & Stegun table 7.1
        assertThat(PlainJavaBert.erf(0)).isCloseTo(0, offset(2e-7));
        assertThat(PlainJavaBert.erf(0.5)).isCloseTo(0.5204998778, offset(2e-7));
        assertThat(PlainJavaBert.erf(1)).isCloseTo(0.8427007929, offset(2e-7));
        assertThat(PlainJavaBert.erf(2)).isCloseTo(0.9953222650, offset(2e-7));
        assertThat(PlainJavaBert.erf(-1)).isCloseTo(-0.8427007929, offset(2e-7));
    }
}
