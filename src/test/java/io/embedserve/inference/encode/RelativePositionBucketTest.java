package io.embedserve.inference.encode;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import io.embedserve.model.EncoderConfig;
import io.embedserve.model.ModelFamily;
import io.embedserve.model.PoolingMode;
import io.embedserve.testsupport.ReferenceEncoder;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** encoder.py's MPNet relative-position buckets: transformers' relative_position_bucket(…, 32, 128). */
class RelativePositionBucketTest {

    static final EncoderConfig MPNET = new EncoderConfig(ModelFamily.MPNET, 10, 8, 1, 2, 16, "gelu", 1e-5, 514, 0, 1, 32);

    static NDManager manager;
    static PtSymbolBlock program;

    @BeforeAll
    static void compile() {
        System.setProperty("ai.djl.offline", "true");
        manager = NDManager.newBaseManager("PyTorch");
        program = ScriptEncoder.compile(ScriptEncoder.attributes(MPNET, PoolingMode.MEAN, ComputeDtype.FLOAT32),
                (PtNDManager) manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static long[] buckets(long[] relativePositions) {
        try (NDManager scope = manager.newSubManager()) {
            PtNDArray input = (PtNDArray) scope.create(relativePositions, new Shape(relativePositions.length));
            try (IValue value = IValue.from(input);
                    IValue result = IValueUtils.runMethod(program, "relative_position_bucket", value)) {
                return result.toTensor((PtNDManager) scope).toLongArray();
            }
        }
    }

    @Test
    void exactBucketsBelowEightLogSpacedBucketsToOneHundredTwentyEightAndOneLastBucketBeyond() {
        // key - query: negative (key before the query) takes buckets 0-15, positive 16-31.
        // Each value worked by hand from 8 + trunc(log(n / 8) / log(16) * 8), capped at 15.
        long[] relative = {0, -1, -7, 1, 7, -8, -11, -12, -16, -32, -127, -128, -1000, 8, 16, 32, 128, 5000};
        long[] expected = {0, 1, 7, 17, 23, 8, 8, 9, 10, 12, 15, 15, 15, 24, 26, 28, 31, 31};
        assertThat(buckets(relative)).containsExactly(expected);
    }

    @Test
    void everyDistanceUpToAThousandMatchesTheFloat32Reference() {
        long[] relative = IntStream.rangeClosed(-1000, 1000).asLongStream().toArray();
        long[] expected = IntStream.rangeClosed(-1000, 1000).mapToLong(ReferenceEncoder::relativePositionBucket).toArray();
        assertThat(buckets(relative)).containsExactly(expected);
    }
}
