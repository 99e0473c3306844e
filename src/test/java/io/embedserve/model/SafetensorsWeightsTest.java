package io.embedserve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.ModelLoadException;
import io.embedserve.testsupport.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWeightsTest {

    /** Values exactly representable in F16 and BF16, so widening must return them bit for bit. */
    static final float[] EXACT = {0f, 1f, -2.5f, 0.15625f, 1024f, -0.0078125f};

    @TempDir
    Path dir;

    float[] read(SafetensorsWriter.Dtype dtype) {
        new SafetensorsWriter().add("t", new long[] {2, 3}, EXACT, dtype).write(dir.resolve("model.safetensors"));
        SafetensorsWeights weights = SafetensorsWeights.open(dir);
        TensorEntry entry = weights.entry("t");
        assertThat(entry.shape()).containsExactly(2, 3);
        ByteBuffer buffer = weights.float32(entry);
        float[] out = new float[EXACT.length];
        buffer.asFloatBuffer().get(out);
        return out;
    }

    @Test
    void readsFloat32AsIs() {
        assertThat(read(SafetensorsWriter.Dtype.F32)).containsExactly(EXACT);
    }

    @Test
    void widensFloat16Exactly() {
        assertThat(read(SafetensorsWriter.Dtype.F16)).containsExactly(EXACT);
    }

    @Test
    void widensBfloat16Exactly() {
        assertThat(read(SafetensorsWriter.Dtype.BF16)).containsExactly(EXACT);
    }

    @Test
    void readsIntegerBuffersAsIntegersInEveryWidth() {
        long[] values = {0, 1, 2, 511, -3};
        new SafetensorsWriter()
                .addIntegers("i64", "I64", new long[] {1, 5}, values)
                .addIntegers("i32", "I32", new long[] {1, 5}, values)
                .addIntegers("i8", "I8", new long[] {5}, new long[] {0, 1, 2, 127, -3})
                .write(dir.resolve("model.safetensors"));
        SafetensorsWeights weights = SafetensorsWeights.open(dir);
        assertThat(weights.entry("i64").dtype()).isEqualTo(TensorDtype.I64);
        assertThat(weights.integers(weights.entry("i64"))).containsExactly(values);
        assertThat(weights.integers(weights.entry("i32"))).containsExactly(values);
        assertThat(weights.integers(weights.entry("i8"))).containsExactly(0, 1, 2, 127, -3);
    }

    @Test
    void neverConvertsAnIntegerTensorToFloats() {
        new SafetensorsWriter().addIntegers("ids", "I64", new long[] {1, 3}, new long[] {0, 1, 2})
                .write(dir.resolve("model.safetensors"));
        SafetensorsWeights weights = SafetensorsWeights.open(dir);
        assertThatThrownBy(() -> weights.float32(weights.entry("ids")))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("ids").hasMessageContaining("I64");
    }

    @Test
    void halfFloatSubnormalsInfinityAndNegativeZeroConvert() {
        assertThat(HalfFloats.f16ToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(HalfFloats.f16ToFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(HalfFloats.f16ToFloat((short) 0x8000)).isEqualTo(-0f);
        assertThat(HalfFloats.f16ToFloat((short) 0x7BFF)).isEqualTo(65504f);
    }

    @Test
    void readsShardsThroughTheIndex() throws IOException {
        new SafetensorsWriter().add("a", new long[] {2}, new float[] {1, 2}).write(dir.resolve("model-00001-of-00002.safetensors"));
        new SafetensorsWriter().add("b", new long[] {1}, new float[] {3}).write(dir.resolve("model-00002-of-00002.safetensors"));
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"metadata\":{},\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00002-of-00002.safetensors\"}}");
        SafetensorsWeights weights = SafetensorsWeights.open(dir);
        assertThat(weights.names()).containsExactlyInAnyOrder("a", "b");
        assertThat(weights.float32(weights.entry("b")).getFloat(0)).isEqualTo(3f);
    }

    @Test
    void rejectsMissingShard() throws IOException {
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\"}}");
        assertThatThrownBy(() -> SafetensorsWeights.open(dir))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("model-00001-of-00002.safetensors");
    }

    @Test
    void rejectsTruncatedFileNamingTheTensor() throws IOException {
        Path file = dir.resolve("model.safetensors");
        new SafetensorsWriter().add("big", new long[] {1000}, new float[1000]).write(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(file) - 100);
        }
        assertThatThrownBy(() -> SafetensorsWeights.open(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("big")
                .hasMessageContaining("truncated");
    }

    @Test
    void rejectsGarbageHeader() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertThatThrownBy(() -> SafetensorsWeights.open(dir))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("not a valid safetensors file");
    }

    @Test
    void rejectsOffsetsThatDisagreeWithShape() {
        SafetensorsWriter.writeFile(dir.resolve("model.safetensors"),
                "{\"t\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,8]}}", new byte[8]);
        assertThatThrownBy(() -> SafetensorsWeights.open(dir)).hasMessageContaining("do not match its shape");
    }

    @Test
    void rejectsADtypeItDoesNotRead() {
        SafetensorsWriter.writeFile(dir.resolve("model.safetensors"),
                "{\"t\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);
        assertThatThrownBy(() -> SafetensorsWeights.open(dir)).hasMessageContaining("dtype 'F64'");
    }
}
