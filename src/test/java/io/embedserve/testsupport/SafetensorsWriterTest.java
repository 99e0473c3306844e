package io.embedserve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import io.embedserve.testsupport.SafetensorsWriter.Dtype;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Checks the byte layout against the safetensors format description, reading raw bytes. */
class SafetensorsWriterTest {

    @TempDir
    Path dir;

    @Test
    void headerIsLengthPrefixedSpacePaddedJsonWithBackToBackOffsets() throws IOException {
        Path file = dir.resolve("t.safetensors");
        new SafetensorsWriter()
                .add("a", new long[] {2, 3}, new float[6])
                .add("b.weight", new long[] {4}, new float[4], Dtype.F16)
                .write(file);

        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        JsonNode json = JsonMapper.shared().readTree(header);

        assertThat(headerLength % 8).isZero();
        assertThat(header).doesNotContain("\n").matches("(?s)\\{.*\\} *");
        assertThat(json.get("__metadata__").get("format").asString()).isEqualTo("pt");
        assertThat(json.get("a").toString())
                .isEqualTo("{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}");
        assertThat(json.get("b.weight").toString())
                .isEqualTo("{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[24,32]}");
        assertThat(bytes).hasSize(8 + (int) headerLength + 32);
    }

    @Test
    void writesEachDtypeAsLittleEndianBitPatterns() throws IOException {
        Path file = dir.resolve("t.safetensors");
        float[] oneAndMinusTwo = {1f, -2f};
        new SafetensorsWriter()
                .add("f32", new long[] {2}, oneAndMinusTwo, Dtype.F32)
                .add("f16", new long[] {2}, oneAndMinusTwo, Dtype.F16)
                .add("bf16", new long[] {2}, oneAndMinusTwo, Dtype.BF16)
                .write(file);

        assertThat(dataSection(file)).containsExactly(
                0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, (byte) 0xC0, // F32 1.0 = 0x3F800000, -2.0 = 0xC0000000
                0x00, 0x3C, 0x00, (byte) 0xC0,                         // F16 1.0 = 0x3C00, -2.0 = 0xC000
                (byte) 0x80, 0x3F, 0x00, (byte) 0xC0);                 // BF16 1.0 = 0x3F80, -2.0 = 0xC000
    }

    @Test
    void rawTensorsAreWrittenAsGivenEvenWhenTheyContradictTheirShape() throws IOException {
        Path file = dir.resolve("t.safetensors");
        new SafetensorsWriter().addRaw("broken", "F32", new long[] {4}, new byte[] {1, 2, 3}).write(file);

        SafetensorsInspector written = SafetensorsInspector.open(file);
        assertThat(written.info("broken").shape()).containsExactly(4);
        assertThat(written.info("broken").end()).isEqualTo(3);
        assertThat(dataSection(file)).containsExactly(1, 2, 3);
    }

    @Test
    void rejectsDataThatDoesNotMatchTheShape() {
        assertThatThrownBy(() -> new SafetensorsWriter().add("x", new long[] {2, 2}, new float[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x").hasMessageContaining("[2, 2]");
    }

    @Test
    void rejectsTheSameNameTwice() {
        SafetensorsWriter writer = new SafetensorsWriter().add("x", new long[] {1}, new float[1]);
        assertThatThrownBy(() -> writer.add("x", new long[] {1}, new float[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void halfPrecisionTensorsReadBackWithinRounding() {
        Path file = dir.resolve("t.safetensors");
        float[] values = {0.1f, -3.14159f, 1234.5f, 1e-3f};
        new SafetensorsWriter()
                .add("h", new long[] {4}, values, Dtype.F16)
                .add("b", new long[] {4}, values, Dtype.BF16)
                .write(file);

        SafetensorsInspector written = SafetensorsInspector.open(file);
        for (int i = 0; i < values.length; i++) {
            assertThat(written.floats("h")[i]).isCloseTo(values[i], withRelativeError(0x1p-11));
            assertThat(written.floats("b")[i]).isCloseTo(values[i], withRelativeError(0x1p-8));
        }
    }

    private static Percentage withRelativeError(double fraction) {
        return Percentage.withPercentage(fraction * 100);
    }

    private static byte[] dataSection(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return Arrays.copyOfRange(bytes, 8 + (int) headerLength, bytes.length);
    }
}
