package io.embedserve.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Vector comparisons with the tolerances the product promises (cosine ≥ 0.99999, |Δ| ≤ 1e-4). */
public final class Vectors {

    public static final double MIN_COSINE = 0.99999;
    public static final double MAX_ABS_DIFFERENCE = 1e-4;

    private Vectors() {}

    public static double cosine(float[] a, double[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    public static double maxAbsDifference(float[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    public static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    public static double[] normalized(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x * x;
        }
        double norm = Math.max(Math.sqrt(sum), 1e-12);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / norm;
        }
        return out;
    }

    /** Fails unless {@code actual} matches {@code expected} within the product's tolerances. */
    public static void assertSameVector(String what, float[] actual, double[] expected) {
        assertTrue(actual.length == expected.length, what + ": length " + actual.length + " vs " + expected.length);
        double cosine = cosine(actual, expected);
        double diff = maxAbsDifference(actual, expected);
        assertTrue(cosine >= MIN_COSINE && diff <= MAX_ABS_DIFFERENCE,
                what + ": cosine " + cosine + ", max |difference| " + diff);
    }
}
