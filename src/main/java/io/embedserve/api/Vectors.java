package io.embedserve.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** The little vector arithmetic the HTTP layer owns: /similarity's cosine, OpenAI's base64. */
final class Vectors {

    private Vectors() {}

    /** Cosine similarity in double precision; 0 when either vector is all zeros (never NaN). */
    static float cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of different lengths: " + a.length + " and " + b.length);
        }
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            normA += (double) a[i] * a[i];
            normB += (double) b[i] * b[i];
        }
        if (normA == 0 || normB == 0) {
            return 0f;
        }
        return (float) (dot / Math.sqrt(normA * normB));
    }

    /** OpenAI's encoding_format "base64": the float32 values, little-endian, base64 encoded. */
    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
