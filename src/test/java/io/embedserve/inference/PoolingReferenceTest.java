package io.embedserve.inference;

import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.ReferenceEncoder;
import io.embedserve.testsupport.SafetensorsWriter;
import io.embedserve.testsupport.TinyEncoderModel;
import io.embedserve.testsupport.Vectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each pooling mode of the encoder program on a right-padded mixed-length batch, against the
 * double-precision reference pooling each sentence alone: padding never reaches a vector.
 * (Activations and model types: EncoderConfigReferenceTest.)
 */
class PoolingReferenceTest {

    static final List<String> SENTENCES = List.of(
            "hello world", "a", "the cat sat on the mat", "good day, world. the cat is good", "xyz");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mean", "cls", "max", "lasttoken"})
    void everyPoolingModeMatchesTheReferenceOnAPaddedBatch(String pooling) {
        TinyEncoderModel tiny = TinyEncoderModel.xlmRoberta(11);
        tiny.writeTo(dir, pooling, false, 32, "", SafetensorsWriter.Dtype.F32);
        ReferenceEncoder reference = new ReferenceEncoder(tiny);
        try (SentenceModel model = SentenceModel.load(new ModelSnapshot(dir, "tiny", "local"), null)) {
            List<long[]> batch = new ArrayList<>();
            SENTENCES.forEach(s -> batch.add(model.tokenizer().encode(s).ids()));
            float[][] actual = model.encodeBatch(batch);
            for (int i = 0; i < batch.size(); i++) {
                double[] expected = ReferenceEncoder.pool(pooling, reference.lastHiddenState(batch.get(i)));
                Vectors.assertSameVector(pooling + " " + SENTENCES.get(i), actual[i], expected);
            }
        }
    }
}
