package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.tokenize.Truncation;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.OnnxReference;
import io.embedserve.testsupport.RealModel;
import io.embedserve.testsupport.RealModelFixture;
import io.embedserve.testsupport.ReferencePooling;
import io.embedserve.testsupport.Sentences;
import io.embedserve.testsupport.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real model's Hub snapshot through EmbedServe's public embedding path (prompt, tokenize,
 * truncate, encode, pool, normalise) against ONNX Runtime running the model's original ONNX export
 * on the same ids, pooled and normalised in plain Java as the model card says (never as the service
 * read it from the files). Every sentence of {@link Sentences#VARIED} alone and in mixed-length
 * batches; the worst cosine and |Δ| are printed for the record.
 *
 * <p>The ids come from the service's tokenizer here; {@code tokenize.RealTokenizerIdsTest} checks
 * them against ids derived independently.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RealModelEquivalence {

    SentenceModel model;
    ModelHolder holder;
    EmbeddingService service;
    OnnxReference onnx;
    private final Map<String, double[]> expected = new ConcurrentHashMap<>();
    private double minCosine = 1;
    private double maxDifference;

    abstract RealModel realModel();

    /** The prompt every input is embedded with (a name from the model's prompts), or null. */
    String promptName() {
        return null;
    }

    @BeforeAll
    void load() {
        RealModel real = realModel();
        model = SentenceModel.load(new ModelSnapshot(RealModelFixture.modelDirectory(real), real.hubId(), "local"), null);
        holder = new ModelHolder();
        holder.set(model);
        service = new ModelEmbeddingService(holder, model);
        onnx = OnnxReference.of(real);
    }

    @AfterAll
    void close() {
        holder.close();
        onnx.close();
        System.out.printf(Locale.ROOT, "%s vs ONNX Runtime: min cosine 1 - %.2e, max |diff| %.2e%n",
                realModel().hubId(), 1 - minCosine, maxDifference);
    }

    /** The ids sentence-transformers feeds the encoder: prompt + text, cut at max_seq_length on the right. */
    long[] referenceIds(String promptName, String text) {
        String prompt = promptName == null ? "" : realModel().prompts().get(promptName);
        return Truncation.truncate(model.tokenizer().encode(prompt + text), realModel().maxSeqLength(),
                TruncationDirection.RIGHT);
    }

    /** The normalised reference vector, computed once per (prompt, text). */
    double[] expected(String promptName, String text) {
        return expected.computeIfAbsent(promptName + "\u0000" + text, key -> {
            float[] pooled = onnx.pooled(referenceIds(promptName, text), realModel().pooling());
            return Vectors.toDouble(ReferencePooling.l2Normalize(pooled));
        });
    }

    synchronized void assertMatchesOnnx(String promptName, String text, float[] actual) {
        double[] reference = expected(promptName, text);
        minCosine = Math.min(minCosine, Vectors.cosine(actual, reference));
        maxDifference = Math.max(maxDifference, Vectors.maxAbsDifference(actual, reference));
        Vectors.assertSameVector(realModel().hubId() + ": " + text, actual, reference);
    }

    EmbedOptions options(String promptName) {
        return new EmbedOptions(true, true, TruncationDirection.RIGHT, null, promptName);
    }

    @Test
    void pipelineIsReadFromTheHubFiles() {
        assertThat(model.pipeline().pooling()).isEqualTo(realModel().pooling());
        assertThat(model.pipeline().normalize()).isTrue();
        assertThat(model.pipeline().maxSeqLength()).isEqualTo(realModel().maxSeqLength());
        assertThat(model.pipeline().prompts()).isEqualTo(realModel().prompts());
        assertThat(Sentences.VARIED).hasSizeGreaterThanOrEqualTo(50);
    }

    @Test
    void everySentenceAloneMatchesOnnxRuntime() {
        for (String text : Sentences.VARIED) {
            float[] actual = service.embed(List.of(EmbedInput.text(text)), options(promptName())).vectors().get(0);
            assertMatchesOnnx(promptName(), text, actual);
        }
    }

    @Test
    void mixedLengthBatchesOf16MatchOnnxRuntime() {
        List<String> all = Sentences.VARIED;
        for (int from = 0; from < all.size(); from += 16) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 16));
            List<EmbedInput> inputs = new ArrayList<>();
            chunk.forEach(t -> inputs.add(EmbedInput.text(t)));
            List<float[]> vectors = service.embed(inputs, options(promptName())).vectors();
            for (int i = 0; i < chunk.size(); i++) {
                assertMatchesOnnx(promptName(), chunk.get(i), vectors.get(i));
            }
        }
    }

    @Test
    void overLongInputIsCutAtMaxSeqLength() {
        String longest = Sentences.VARIED.get(Sentences.VARIED.size() - 3);
        assertThat(model.tokenizer().encode(longest).length()).isGreaterThan(realModel().maxSeqLength());
        assertThat(referenceIds(promptName(), longest)).hasSize(realModel().maxSeqLength());
    }
}
