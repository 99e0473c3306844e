package io.embedserve.cache;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The stored form of a vector: float32 values, little-endian, 4 bytes each (see
 * V1__embedding_cache.sql). The raw IEEE-754 bits are copied both ways, so a vector read back is
 * bit-for-bit the vector written, NaN payloads and negative zero included.
 */
final class VectorCodec {

    private VectorCodec() {}

    static byte[] encode(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(Float.BYTES * vector.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            bytes.putInt(Float.floatToRawIntBits(value));
        }
        return bytes.array();
    }

    static float[] decode(byte[] bytes) {
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("a stored vector has " + bytes.length + " bytes, not a multiple of 4");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[bytes.length / Float.BYTES];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = Float.intBitsToFloat(buffer.getInt());
        }
        return vector;
    }
}
