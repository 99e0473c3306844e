package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.tokenize.Truncation;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.ReferenceEncoder;
import io.embedserve.testsupport.Sentences;
import io.embedserve.testsupport.Vectors;
import io.embedserve.testsupport.XlmRobertaBaseShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default model's shape (XLM-R base: hidden 768, 12 heads, intermediate 3072, vocabulary 250002,
 * 514 positions, pad 1, max_seq_length 128), random weights, 2 layers: EmbedServe's embedding path
 * against the double-precision {@link ReferenceEncoder}, on the multilingual sentence set, alone and
 * in right-padded mixed-length batches. The vectors are compared raw (the model has no Normalize
 * module and {@code normalize} is off), so their size is checked too.
 */
class XlmRobertaBaseShapeTest {

    @TempDir
    static Path dir;

    static XlmRobertaBaseShape checkpoint;
    static SentenceModel model;
    static ModelHolder holder;
    static EmbeddingService service;
    static ReferenceEncoder reference;
    static final Map<String, double[]> EXPECTED = new ConcurrentHashMap<>();
    static double minCosine = 1;
    static double maxDifference;

    static final EmbedOptions RAW = new EmbedOptions(false, true, TruncationDirection.RIGHT, null, null);

    @BeforeAll
    static void load() {
        checkpoint = new XlmRobertaBaseShape(2024);
        checkpoint.writeTo(dir, Sentences.VARIED);
        model = SentenceModel.load(new ModelSnapshot(dir, "xlm-r-base-shape", "local"), null);
        holder = new ModelHolder();
        holder.set(model);
        service = new ModelEmbeddingService(holder, model);
        reference = new ReferenceEncoder(checkpoint);
    }

    @AfterAll
    static void close() {
        holder.close();
        System.out.printf(Locale.ROOT, "XLM-R base shape vs double-precision reference: min cosine 1 - %.2e, max |diff| %.2e%n",
                1 - minCosine, maxDifference);
    }

    static long[] ids(String text) {
        return Truncation.truncate(model.tokenizer().encode(text), XlmRobertaBaseShape.MAX_SEQ_LENGTH,
                TruncationDirection.RIGHT);
    }

    static synchronized void assertMatchesReference(String text, float[] actual) {
        double[] expected = EXPECTED.computeIfAbsent(text, t -> ReferenceEncoder.meanPool(reference.lastHiddenState(ids(t))));
        minCosine = Math.min(minCosine, Vectors.cosine(actual, expected));
        maxDifference = Math.max(maxDifference, Vectors.maxAbsDifference(actual, expected));
        Vectors.assertSameVector(text, actual, expected);
    }

    @Test
    void loadsWithTheDefaultModelsShape() {
        assertThat(model.encoderConfig().hiddenSize()).isEqualTo(768);
        assertThat(model.encoderConfig().numAttentionHeads()).isEqualTo(12);
        assertThat(model.encoderConfig().intermediateSize()).isEqualTo(3072);
        assertThat(model.encoderConfig().vocabSize()).isEqualTo(250002);
        assertThat(model.encoderConfig().maxPositionEmbeddings()).isEqualTo(514);
        assertThat(model.pipeline().maxSeqLength()).isEqualTo(128);
        assertThat(model.pipeline().normalize()).isFalse();
    }

    @Test
    void tokenIdsReachTheTopOfTheVocabulary() {
        long top = Sentences.VARIED.stream().flatMapToLong(t -> Arrays.stream(ids(t))).max().orElseThrow();
        assertThat(top).isGreaterThan(240_000);
        assertThat(model.tokenizer().encode("Hi").ids()).startsWith(0).endsWith(2); // <s> … </s>
        long longest = Sentences.VARIED.stream().mapToLong(t -> ids(t).length).max().orElseThrow();
        assertThat(longest).isEqualTo(128);
    }

    @Test
    void everySentenceAloneMatchesTheReference() {
        for (String text : Sentences.VARIED) {
            assertMatchesReference(text, service.embed(List.of(EmbedInput.text(text)), RAW).vectors().get(0));
        }
    }

    @Test
    void mixedLengthPaddedBatchesMatchTheReference() {
        List<String> all = Sentences.VARIED;
        for (int from = 0; from < all.size(); from += 16) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 16));
            List<EmbedInput> inputs = new ArrayList<>();
            chunk.forEach(t -> inputs.add(EmbedInput.text(t)));
            List<float[]> vectors = service.embed(inputs, RAW).vectors();
            for (int i = 0; i < chunk.size(); i++) {
                assertMatchesReference(chunk.get(i), vectors.get(i));
            }
        }
    }
}
