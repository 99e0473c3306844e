package io.embedserve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

/** Hand-computed values on tiny synthetic hidden states; no model involved. */
class ReferencePoolingTest {

    @Test
    void meanPoolingIgnoresPaddedPositions() {
        float[][] hidden = {{1, 2}, {3, 6}, {100, -100}}; // (T=3, H=2), last token is padding
        assertThat(ReferencePooling.meanPool(hidden, new long[] {1, 1, 0})).containsExactly(2f, 4f);
    }

    @Test
    void meanPoolingOfAFullyMaskedSequenceIsZeroNotNaN() {
        assertThat(ReferencePooling.meanPool(new float[][] {{5, 5}}, new long[] {0})).containsExactly(0f, 0f);
    }

    @Test
    void normalisingGivesUnitLengthAndLeavesZeroAlone() {
        assertThat(ReferencePooling.l2Normalize(new float[] {3, 4})).containsExactly(0.6f, 0.8f);
        assertThat(ReferencePooling.l2Normalize(new float[] {0, 0})).containsExactly(0f, 0f);
    }

    @Test
    void cosineOfKnownVectors() {
        assertThat(ReferencePooling.cosine(new float[] {1, 0}, new float[] {0, 2})).isZero();
        assertThat(ReferencePooling.cosine(new float[] {1, 1}, new float[] {2, 2})).isCloseTo(1.0, offset(1e-12));
        assertThat(ReferencePooling.cosine(new float[] {1, 0}, new float[] {1, 1})).isCloseTo(Math.sqrt(0.5), offset(1e-12));
    }
}
