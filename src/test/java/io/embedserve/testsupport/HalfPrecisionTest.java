package io.embedserve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Expected bit patterns are the published encodings of IEEE 754 binary16 and bfloat16 (as
 * {@code torch.tensor(x).half().view(torch.int16)} prints them), not values computed here.
 */
class HalfPrecisionTest {

    @ParameterizedTest(name = "{0} -> F16 {1}")
    @CsvSource({
        "1.0,             0x3C00",
        "-2.0,            0xC000",
        "0.5,             0x3800",
        "0.0,             0x0000",
        "-0.0,            0x8000",
        "65504.0,         0x7BFF", // largest finite half
        "65519.0,         0x7BFF", // just below the halfway point to 65536 rounds down
        "65520.0,         0x7C00", // halfway rounds to even, which is infinity
        "1e6,             0x7C00",
        "Infinity,        0x7C00",
        "-Infinity,       0xFC00",
        "0.1,             0x2E66", // truncation suffices
        "0.3,             0x34CD", // needs rounding up
        "0.33333334,      0x3555",
        "6.1035156E-5,    0x0400", // 2^-14, smallest normal
        "5.9604645E-8,    0x0001", // 2^-24, smallest subnormal
        "2.9802322E-8,    0x0000", // 2^-25, a tie between 0 and 2^-24: even is 0
        "4.4703484E-8,    0x0001", // 1.5 * 2^-25 rounds up to 2^-24
        "6.097555E-5,     0x03FF", // largest subnormal, 1023 * 2^-24
        "1.00048828125,   0x3C00", // 1 + 2^-11: a tie, stays on the even 0x3C00
        "1.00146484375,   0x3C02", // 1 + 3 * 2^-11: a tie, goes up to the even 0x3C02
    })
    void encodesF16WithRoundToNearestEven(float value, String expectedHex) {
        assertThat(hex(HalfPrecision.toF16Bits(value))).isEqualTo(normalise(expectedHex));
    }

    @ParameterizedTest(name = "{0} -> BF16 {1}")
    @CsvSource({
        "1.0,             0x3F80",
        "-2.0,            0xC000",
        "0.1,             0x3DCD", // 0x3DCCCCCD rounds up
        "0.33333334,      0x3EAB",
        "1.00390625,      0x3F80", // 0x3F808000: a tie, stays on the even 0x3F80
        "1.01171875,      0x3F82", // 0x3F818000: a tie, goes up to the even 0x3F82
        "3.4028235E38,    0x7F80", // Float.MAX_VALUE rounds to infinity
        "-0.0,            0x8000",
        "Infinity,        0x7F80",
    })
    void encodesBf16WithRoundToNearestEven(float value, String expectedHex) {
        assertThat(hex(HalfPrecision.toBf16Bits(value))).isEqualTo(normalise(expectedHex));
    }

    @Test
    void nanStaysNanInBothFormats() {
        float nanWithLowPayload = Float.intBitsToFloat(0x7F80_0001);
        assertThat(HalfPrecision.f16BitsToFloat(HalfPrecision.toF16Bits(Float.NaN))).isNaN();
        assertThat(HalfPrecision.f16BitsToFloat(HalfPrecision.toF16Bits(nanWithLowPayload))).isNaN();
        assertThat(HalfPrecision.bf16BitsToFloat(HalfPrecision.toBf16Bits(Float.NaN))).isNaN();
        assertThat(HalfPrecision.bf16BitsToFloat(HalfPrecision.toBf16Bits(nanWithLowPayload))).isNaN();
    }

    @Test
    void decodesKnownF16Patterns() {
        assertThat(HalfPrecision.f16BitsToFloat((short) 0x3C00)).isEqualTo(1f);
        assertThat(HalfPrecision.f16BitsToFloat((short) 0x7BFF)).isEqualTo(65504f);
        assertThat(HalfPrecision.f16BitsToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(HalfPrecision.f16BitsToFloat((short) 0xC000)).isEqualTo(-2f);
        assertThat(HalfPrecision.f16BitsToFloat((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(HalfPrecision.f16BitsToFloat((short) 0xFC00)).isEqualTo(Float.NEGATIVE_INFINITY);
    }

    @Test
    void everyNonNanF16PatternSurvivesDecodeAndEncode() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            float decoded = HalfPrecision.f16BitsToFloat((short) bits);
            if (!Float.isNaN(decoded)) {
                assertThat(HalfPrecision.toF16Bits(decoded) & 0xFFFF).as("pattern %04x", bits).isEqualTo(bits);
            }
        }
    }

    @Test
    void f16EncodingPicksTheNearestNeighbourAndTiesToEven() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            // exponents from 2^-26 to 2^16, to cover subnormals, normals and the overflow edge
            float value = (float) ((random.nextBoolean() ? 1 : -1) * random.nextDouble(1, 2)
                    * Math.pow(2, random.nextInt(-26, 16)));
            int half = HalfPrecision.toF16Bits(value) & 0xFFFF;
            double error = Math.abs(value - onTheF16Grid(half));
            for (int neighbour : new int[] {half - 1, half + 1}) {
                double other = onTheF16Grid(neighbour);
                if ((neighbour & 0x7FFF) > 0x7C00 || Math.signum(other) * Math.signum(value) < 0) {
                    continue; // NaN patterns and the other sign are not candidates
                }
                double otherError = Math.abs(value - other);
                assertThat(error).as("%s -> %04x vs %04x", value, half, neighbour).isLessThanOrEqualTo(otherError);
                if (error == otherError) {
                    assertThat(half & 1).as("tie for %s must land on even", value).isZero();
                }
            }
        }
    }

    /** The value of a pattern, with infinity standing at 65536, the next step after 65504. */
    private static double onTheF16Grid(int bits) {
        float value = HalfPrecision.f16BitsToFloat((short) bits);
        return Float.isInfinite(value) ? Math.signum(value) * 65536 : value;
    }

    private static String hex(short bits) {
        return String.format("0x%04X", bits & 0xFFFF);
    }

    private static String normalise(String hex) {
        return "0x" + hex.substring(2).toUpperCase();
    }
}
