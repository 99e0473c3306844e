package io.embedserve.inference;

import io.embedserve.inference.batch.BatchLimits;
import io.embedserve.inference.batch.BatchListener;
import io.embedserve.inference.batch.BatchQueue;
import io.embedserve.testsupport.RealModel;
import io.embedserve.testsupport.Sentences;
import io.embedserve.testsupport.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** sentence-transformers/all-MiniLM-L6-v2: 6 layers, mean pooling, Normalize, max_seq_length 256. */
class MiniLmEquivalenceTest extends RealModelEquivalence {

    @Override
    RealModel realModel() {
        return RealModel.ALL_MINILM_L6_V2;
    }

    @Test
    void throughTheBatchQueueVectorsStillMatch() {
        try (BatchQueue queue = new BatchQueue(model::encodeBatch, new BatchLimits(2048, 16), BatchListener.NONE)) {
            EmbeddingService queued = new ModelEmbeddingService(holder, queue);
            List<EmbedInput> inputs = new ArrayList<>();
            Sentences.VARIED.forEach(t -> inputs.add(EmbedInput.text(t)));
            List<float[]> vectors = queued.embed(inputs, EmbedOptions.defaults()).vectors();
            for (int i = 0; i < inputs.size(); i++) {
                assertMatchesOnnx(null, Sentences.VARIED.get(i), vectors.get(i));
            }
        }
    }

    @Test
    void aSingleTokenInputMatchesOnnxRuntime() {
        long[] ids = {101};
        float[] actual = service.embed(List.of(new EmbedInput.TokenIds(ids)), EmbedOptions.defaults()).vectors().get(0);
        Vectors.assertSameVector("[CLS]", actual, Vectors.toDouble(onnx.embed(ids)));
    }
}
