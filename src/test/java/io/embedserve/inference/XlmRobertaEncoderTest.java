package io.embedserve.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.ReferenceEncoder;
import io.embedserve.testsupport.SafetensorsWriter;
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
 * The XLM-R path against a plain double-precision forward pass: a tiny random-weight model with the
 * real config keys, weight names, pad_token_id 1, type_vocab_size 1 and eps 1e-5.
 */
class XlmRobertaEncoderTest {

    static final List<String> SENTENCES = List.of(
            "hello world",
            "a",
            "the cat sat on the mat",
            "good day, world. the cat is good",
            "hello hello hello world world the mat mat sat on a good day is good 12345",
            "xyz");

    @TempDir
    static Path dir;

    static TinyEncoderModel tiny;
    static SentenceModel model;
    static ReferenceEncoder reference;

    @BeforeAll
    static void load() {
        tiny = TinyEncoderModel.xlmRoberta(42);
        tiny.writeTo(dir);
        model = SentenceModel.load(new ModelSnapshot(dir, "tiny-xlmr", "local"), null);
        reference = new ReferenceEncoder(tiny);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static long[] ids(String text) {
        return model.tokenizer().encode(text).ids();
    }

    @Test
    void tokenizerAddsXlmRobertaSpecialTokens() {
        long[] ids = ids("hello world");
        assertEquals(0, ids[0], "<s> first");
        assertEquals(2, ids[ids.length - 1], "</s> last");
        assertEquals(4, ids.length);
    }

    @Test
    void singleSentencesMatchTheReferenceForwardPass() {
        for (String sentence : SENTENCES) {
            long[] ids = ids(sentence);
            float[] actual = model.encodeBatch(List.of(ids))[0];
            double[] expected = ReferenceEncoder.meanPool(reference.lastHiddenState(ids));
            Vectors.assertSameVector(sentence, actual, expected);
        }
    }

    @Test
    void rightPaddedMixedLengthBatchMatchesTheReference() {
        List<long[]> batch = new ArrayList<>();
        for (String sentence : SENTENCES) {
            batch.add(ids(sentence));
        }
        float[][] actual = model.encodeBatch(batch);
        for (int i = 0; i < batch.size(); i++) {
            double[] expected = ReferenceEncoder.meanPool(reference.lastHiddenState(batch.get(i)));
            Vectors.assertSameVector(SENTENCES.get(i), actual[i], expected);
        }
    }

    @Test
    void paddingDoesNotChangeAnyVector() {
        long[] shortIds = ids("a");
        float[] alone = model.encodeBatch(List.of(shortIds))[0];
        float[] padded = model.encodeBatch(List.of(shortIds, ids(SENTENCES.get(4))))[0];
        Vectors.assertSameVector("padded", padded, Vectors.toDouble(alone));
    }

    @Test
    void encodeKeepsInputOrderAcrossLengthSorting() {
        List<TokenizedInput> inputs = new ArrayList<>();
        for (String sentence : SENTENCES) {
            inputs.add(new TokenizedInput(sentence, ids(sentence), TruncationDirection.RIGHT, 32));
        }
        float[][] vectors = model.encode(inputs).vectors();
        for (int i = 0; i < inputs.size(); i++) {
            assertArrayEquals(model.encodeBatch(List.of(inputs.get(i).ids()))[0], vectors[i], 1e-5f);
        }
    }

    @Test
    void robertaPrefixedHalfPrecisionCheckpointLoads(@TempDir Path other) {
        tiny.writeTo(other, "mean", false, 32, "roberta.", SafetensorsWriter.Dtype.BF16);
        try (SentenceModel prefixed = SentenceModel.load(new ModelSnapshot(other, "tiny", "local"), null)) {
            long[] ids = ids("the cat sat on the mat");
            float[] fromBf16 = prefixed.encodeBatch(List.of(ids))[0];
            double[] expected = ReferenceEncoder.meanPool(reference.lastHiddenState(ids));
            // bf16 keeps 8 mantissa bits: close, not identical.
            double cosine = Vectors.cosine(fromBf16, expected);
            org.junit.jupiter.api.Assertions.assertTrue(cosine > 0.999, "cosine " + cosine);
        }
    }
}
