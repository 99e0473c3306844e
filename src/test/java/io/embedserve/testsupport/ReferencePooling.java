package io.embedserve.testsupport;

/**
 * Plain-Java pooling and vector maths for reference values, written after sentence-transformers'
 * {@code Pooling} (mean of the token vectors where the attention mask is 1, the count clamped to
 * at least 1e-9) and {@code Normalize} ({@code torch.nn.functional.normalize}: divide by
 * max(L2 norm, 1e-12)). Sums are accumulated in double.
 */
public final class ReferencePooling {

    private ReferencePooling() {
    }

    /** Masked mean over tokens: hidden is (T, H), mask is (T) of 0/1; returns (H). */
    public static float[] meanPool(float[][] hidden, long[] attentionMask) {
        int width = hidden[0].length;
        double[] sum = new double[width];
        double count = 0;
        for (int t = 0; t < hidden.length; t++) {
            if (attentionMask[t] == 0) {
                continue;
            }
            count++;
            for (int h = 0; h < width; h++) {
                sum[h] += hidden[t][h];
            }
        }
        float[] mean = new float[width];
        for (int h = 0; h < width; h++) {
            mean[h] = (float) (sum[h] / Math.max(count, 1e-9));
        }
        return mean;
    }

    /** Returns {@code vector / max(||vector||, 1e-12)}. */
    public static float[] l2Normalize(float[] vector) {
        double norm = Math.max(Math.sqrt(dot(vector, vector)), 1e-12);
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] / norm);
        }
        return unit;
    }

    public static double cosine(float[] a, float[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }

    public static double maxAbsDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    private static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
