package io.embedserve.testsupport;

/**
 * Bit-exact conversions between float32 and the two 16-bit formats found in Hugging Face
 * checkpoints: IEEE 754 binary16 ("F16") and bfloat16 ("BF16").
 *
 * <p>Encoding rounds to nearest, ties to even, as {@code torch.Tensor.half()} and
 * {@code .bfloat16()} do. Java 17 has no {@code Float.floatToFloat16} (that arrived in Java 20),
 * hence this class. The decoders exist so that tests can check the encoders and read back
 * half-precision files without the code under test.
 */
public final class HalfPrecision {

    private static final int F16_INFINITY = 0x7C00;
    private static final int F16_QUIET_NAN = 0x7E00;

    private HalfPrecision() {
    }

    /** Returns the binary16 bit pattern (in the low 16 bits) nearest to {@code value}. */
    public static short toF16Bits(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7F_FFFF;

        if (exponent == 0xFF) { // infinity or NaN; a NaN stays a (quiet) NaN
            return (short) (sign | (mantissa == 0 ? F16_INFINITY : F16_QUIET_NAN | (mantissa >>> 13)));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1F) {
            return (short) (sign | F16_INFINITY);
        }
        if (halfExponent <= 0) {
            return (short) (sign | subnormalF16(mantissa, halfExponent));
        }
        // Normal: keep the top 10 of 23 mantissa bits and round on the 13 dropped ones. A carry out
        // of the mantissa correctly bumps the exponent, and 65520 and above carries into infinity.
        int half = (halfExponent << 10) | (mantissa >>> 13);
        return (short) (sign | roundHalfToEven(half, mantissa & 0x1FFF, 13));
    }

    /** Float values below 2^-14 become binary16 subnormals (m × 2^-24) or zero. */
    private static int subnormalF16(int mantissa, int halfExponent) {
        if (halfExponent < -10) { // below 2^-25: nearer to zero than to the smallest subnormal
            return 0;
        }
        int significand = mantissa | 0x80_0000; // 24 bits with the implicit 1; float subnormals returned 0 above
        int shift = 14 - halfExponent; // value = significand × 2^(halfExponent - 38) = m × 2^-24
        int half = significand >>> shift;
        return roundHalfToEven(half, significand & ((1 << shift) - 1), shift);
    }

    private static int roundHalfToEven(int kept, int dropped, int droppedBitCount) {
        int halfway = 1 << (droppedBitCount - 1);
        if (dropped > halfway || (dropped == halfway && (kept & 1) == 1)) {
            return kept + 1;
        }
        return kept;
    }

    /** Returns the bfloat16 bit pattern nearest to {@code value}: the top half of a float32. */
    public static short toBf16Bits(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040); // keep it a NaN even if the payload was low bits only
        }
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1); // ties go to the even upper half
        return (short) ((bits + roundingBias) >>> 16);
    }

    /** Decodes a binary16 bit pattern. */
    public static float f16BitsToFloat(short half) {
        int bits = half & 0xFFFF;
        float sign = (bits & 0x8000) != 0 ? -1f : 1f;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return mantissa == 0 ? sign * Float.POSITIVE_INFINITY : Float.NaN;
        }
        if (exponent == 0) {
            return sign * mantissa * 0x1p-24f;
        }
        return sign * (1f + mantissa * 0x1p-10f) * (float) Math.pow(2, exponent - 15);
    }

    /** Decodes a bfloat16 bit pattern. */
    public static float bf16BitsToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xFFFF) << 16);
    }
}
