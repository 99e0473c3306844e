package io.embedserve.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worst agreement a test class saw between the service's outputs and its reference, asserted
 * per output and reported once at the end (the numbers the README states): vectors by cosine and
 * largest |Δ| ({@link Vectors}' tolerances), scores by largest |Δ|.
 */
public final class Fidelity {

    /** Scores (a cross-encoder's logits) may differ from the reference by at most this. */
    public static final double MAX_SCORE_DIFFERENCE = 1e-5;

    private final String label;
    private double minCosine = 1;
    private double maxDifference;
    private int vectors;
    private int scores;

    public Fidelity(String label) {
        this.label = label;
    }

    /** Asserts {@code actual} is {@code expected} within {@link Vectors}' tolerances, and records it. */
    public synchronized void assertSameVector(String what, float[] actual, double[] expected) {
        Vectors.assertSameVector(what, actual, expected);
        minCosine = Math.min(minCosine, Vectors.cosine(actual, expected));
        maxDifference = Math.max(maxDifference, Vectors.maxAbsDifference(actual, expected));
        vectors++;
    }

    /** Asserts every score is within {@link #MAX_SCORE_DIFFERENCE} of the reference, and records it. */
    public synchronized void assertSameScores(String what, float[] actual, double[] expected) {
        assertTrue(actual.length == expected.length, what + ": " + actual.length + " scores vs " + expected.length);
        double difference = Vectors.maxAbsDifference(actual, expected);
        assertTrue(difference <= MAX_SCORE_DIFFERENCE, what + ": max |difference| " + difference
                + " (scores " + java.util.Arrays.toString(actual) + ", expected " + java.util.Arrays.toString(expected) + ")");
        maxDifference = Math.max(maxDifference, difference);
        scores++;
    }

    /** One line for the test log: what was compared and the worst agreement seen. */
    public synchronized String report() {
        String cosine = vectors > 0 ? String.format(", min cosine 1 - %.2g", 1 - minCosine) : "";
        return String.format("FIDELITY %s: %d vectors, %d score rows%s, max |difference| %.3g", label, vectors, scores,
                cosine, maxDifference);
    }
}
