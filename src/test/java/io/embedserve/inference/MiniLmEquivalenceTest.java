package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.batch.BatchLimits;
import io.embedserve.inference.batch.BatchListener;
import io.embedserve.inference.batch.BatchQueue;
import io.embedserve.inference.tokenize.Truncation;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.OnnxReference;
import io.embedserve.testsupport.Sentences;
import io.embedserve.testsupport.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real all-MiniLM-L6-v2 weights: EmbedServe's full embedding path (tokenize, truncate, encode,
 * mean-pool, normalise) against ONNX Runtime running the original ONNX export on the same ids,
 * followed by mean pooling and L2 normalisation in plain Java.
 */
class MiniLmEquivalenceTest {

    static SentenceModel model;
    static ModelHolder holder;
    static OnnxReference onnx;

    @BeforeAll
    static void load() {
        model = SentenceModel.load(new ModelSnapshot(MiniLmFixture.modelDirectory(), "all-MiniLM-L6-v2", "local"), null);
        holder = new ModelHolder();
        holder.set(model);
        onnx = OnnxReference.miniLm();
    }

    @AfterAll
    static void close() {
        holder.close();
        onnx.close();
    }

    static long[] referenceIds(String text) {
        return Truncation.truncate(model.tokenizer().encode(text), 256, TruncationDirection.RIGHT);
    }

    static void assertMatchesOnnx(String text, float[] actual) {
        Vectors.assertSameVector(text, actual, Vectors.toDouble(onnx.embed(referenceIds(text))));
    }

    @Test
    void pipelineReadsTheModelsOwnFiles() {
        assertThat(model.pipeline().pooling().wireName()).isEqualTo("mean");
        assertThat(model.pipeline().normalize()).isTrue();
        assertThat(model.pipeline().maxSeqLength()).isEqualTo(256);
        assertThat(Sentences.VARIED).hasSizeGreaterThanOrEqualTo(50);
    }

    @Test
    void everySentenceAloneMatchesOnnxRuntime() {
        EmbeddingService service = new ModelEmbeddingService(holder, model);
        for (String text : Sentences.VARIED) {
            float[] actual = service.embed(List.of(EmbedInput.text(text)), EmbedOptions.defaults()).vectors().get(0);
            assertMatchesOnnx(text, actual);
        }
    }

    @Test
    void mixedLengthBatchesOf16MatchOnnxRuntime() {
        EmbeddingService service = new ModelEmbeddingService(holder, model);
        List<String> all = Sentences.VARIED;
        for (int from = 0; from < all.size(); from += 16) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 16));
            List<EmbedInput> inputs = new ArrayList<>();
            chunk.forEach(t -> inputs.add(EmbedInput.text(t)));
            List<float[]> vectors = service.embed(inputs, EmbedOptions.defaults()).vectors();
            for (int i = 0; i < chunk.size(); i++) {
                assertMatchesOnnx(chunk.get(i), vectors.get(i));
            }
        }
    }

    @Test
    void throughTheBatchQueueVectorsStillMatch() {
        try (BatchQueue queue = new BatchQueue(model::encodeBatch, new BatchLimits(2048, 16, 512), BatchListener.NONE)) {
            EmbeddingService service = new ModelEmbeddingService(holder, queue);
            List<EmbedInput> inputs = new ArrayList<>();
            Sentences.VARIED.forEach(t -> inputs.add(EmbedInput.text(t)));
            List<float[]> vectors = service.embed(inputs, EmbedOptions.defaults()).vectors();
            for (int i = 0; i < inputs.size(); i++) {
                assertMatchesOnnx(Sentences.VARIED.get(i), vectors.get(i));
            }
        }
    }

    @Test
    void aSingleTokenInputMatchesOnnxRuntime() {
        EmbeddingService service = new ModelEmbeddingService(holder, model);
        long[] ids = {101};
        float[] actual = service.embed(List.of(new EmbedInput.TokenIds(ids)), EmbedOptions.defaults()).vectors().get(0);
        Vectors.assertSameVector("[CLS]", actual, Vectors.toDouble(onnx.embed(ids)));
    }

    @Test
    void overLongInputIsTruncatedToMaxSeqLength() {
        String text = Sentences.VARIED.get(Sentences.VARIED.size() - 3);
        assertThat(model.tokenizer().encode(text).length()).isGreaterThan(256);
        assertThat(referenceIds(text)).hasSize(256);
    }
}
