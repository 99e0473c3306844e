package io.embedserve.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.embedserve.inference.SentenceModel;
import io.embedserve.inference.encode.ComputeDtype;
import io.embedserve.inference.encode.ScriptPrograms;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.Vectors;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's lines are programs that still compile from today's encoder.py, and each one
 * really computes something the line before it did not: a line whose statement had silently stopped
 * matching would otherwise report the previous line's fidelity as its own.
 */
class BfloatLinesBenchmarkTest {

    @Test
    void eachLineCompilesAndChangesTheVectorsOfTheLineBefore() {
        ModelSnapshot snapshot = new ModelSnapshot(MiniLmFixture.modelDirectory(), "all-MiniLM-L6-v2", "local");
        // two texts of different lengths, so that the mask and the padding take part
        List<long[]> batch = List.of(new long[] {101, 1996, 4937, 2938, 2006, 1996, 13523, 1012, 102},
                new long[] {101, 7592, 2088, 102});
        String encoder = BfloatLinesBenchmark.encoderSource();
        try (SentenceModel float32 = SentenceModel.load(snapshot, null, ComputeDtype.FLOAT32);
                SentenceModel bfloat16 = SentenceModel.load(snapshot, null, ComputeDtype.BFLOAT16);
                NDManager weights = NDManager.newBaseManager("PyTorch")) {
            float[][] before = float32.encodeBatch(batch);
            for (int line = 1; line <= BfloatLinesBenchmark.LINES.size(); line++) {
                float[][] vectors = ScriptPrograms.encoder(BfloatLinesBenchmark.program(encoder, line), bfloat16, weights)
                        .encode(batch);
                for (int i = 0; i < batch.size(); i++) {
                    // bfloat16 moves an element by 1e-3 or more; float32 paths differ by < 1e-6
                    assertThat(largestDifference(vectors[i], before[i])).as("line %d, text %d", line, i).isGreaterThan(1e-4);
                    assertThat(Vectors.cosine(vectors[i], Vectors.toDouble(before[i]))).isGreaterThan(0.999);
                }
                before = vectors;
            }
        }
    }

    @Test
    void aStatementThatIsNoLongerInEncoderPyStopsTheBenchmark() {
        String encoder = BfloatLinesBenchmark.encoderSource().replace("scaled_dot_product_attention", "attention");

        assertThat(BfloatLinesBenchmark.program(encoder, 1)).contains("def bf16");
        assertThatThrownBy(() -> BfloatLinesBenchmark.program(encoder, 2))
                .hasMessageContaining("encoder.py no longer holds exactly one `torch.scaled_dot_product_attention");
    }

    private static double largestDifference(float[] a, float[] b) {
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs(a[i] - b[i]));
        }
        return largest;
    }
}
