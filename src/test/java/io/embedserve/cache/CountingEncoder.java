package io.embedserve.cache;

import io.embedserve.inference.PooledEncoder;
import io.embedserve.inference.PooledVectors;
import io.embedserve.inference.TokenizedInput;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the batch queue: the vector of an input is a pure function of its ids (random
 * values seeded by them), so any vector can be recomputed independently, and every computed input
 * is counted. Ids starting with 7 give values that only an exact copy keeps: -0.0, the smallest
 * subnormal, a NaN with a payload, the largest float.
 */
final class CountingEncoder implements PooledEncoder {

    static final int DIMS = 16;

    final AtomicInteger computed = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public PooledVectors encode(List<TokenizedInput> inputs) {
        calls.incrementAndGet();
        computed.addAndGet(inputs.size());
        float[][] vectors = new float[inputs.size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = vectorOf(inputs.get(i).ids());
        }
        return new PooledVectors(vectors, 1, 2);
    }

    static float[] vectorOf(long[] ids) {
        Random random = new Random(Arrays.hashCode(ids));
        float[] vector = new float[DIMS];
        for (int k = 0; k < DIMS; k++) {
            vector[k] = (float) random.nextGaussian();
        }
        if (ids.length > 0 && ids[0] == 7) {
            vector[0] = -0.0f;
            vector[1] = Float.MIN_VALUE;
            vector[2] = Float.intBitsToFloat(0x7fc0beef);
            vector[3] = Float.MAX_VALUE;
        }
        return vector;
    }
}
