package io.embedserve.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Writes safetensors files for tests, following https://huggingface.co/docs/safetensors:
 *
 * <pre>
 * [u64 little-endian N][N bytes of JSON header, space-padded][tensor bytes, little-endian]
 * header: {"__metadata__":{"format":"pt"}, "name":{"dtype":"F32","shape":[..],"data_offsets":[begin,end]}, ...}
 * </pre>
 *
 * Offsets count from the first byte after the header; tensors are laid out back to back in the
 * order they were added. The header is padded so that the data starts 8-byte aligned.
 *
 * <pre>{@code
 * new SafetensorsWriter()
 *     .add("embeddings.word_embeddings.weight", new long[] {30522, 384}, data, Dtype.F16)
 *     .write(dir.resolve("model.safetensors"));
 * }</pre>
 */
public final class SafetensorsWriter {

    /** Element types this writer can produce from floats; the name is the safetensors dtype string. */
    public enum Dtype {
        F32(4, "float32"),
        F16(2, "float16"),
        BF16(2, "bfloat16");

        private final int byteSize;
        private final String torchName;

        Dtype(int byteSize, String torchName) {
            this.byteSize = byteSize;
            this.torchName = torchName;
        }

        public int byteSize() {
            return byteSize;
        }

        /** The name {@code config.json} uses in {@code torch_dtype}. */
        public String torchName() {
            return torchName;
        }
    }

    /** A tensor's bytes, given ({@code bytes}) or produced row by row while writing ({@code rows}). */
    private record Entry(String dtype, long[] shape, byte[] bytes, IntFunction<float[]> rows) {
        long byteLength() {
            return bytes != null ? bytes.length : shape[0] * shape[1] * Float.BYTES;
        }
    }

    private final Map<String, String> metadata = new LinkedHashMap<>(Map.of("format", "pt"));
    private final Map<String, Entry> tensors = new LinkedHashMap<>();

    /** Adds a float32 tensor. */
    public SafetensorsWriter add(String name, long[] shape, float[] data) {
        return add(name, shape, data, Dtype.F32);
    }

    /** Adds a tensor stored as {@code dtype}; F16 and BF16 round to nearest even. */
    public SafetensorsWriter add(String name, long[] shape, float[] data, Dtype dtype) {
        long elements = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (elements != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds "
                    + elements + " elements but " + data.length + " were given");
        }
        return addRaw(name, dtype.name(), shape, encode(data, dtype));
    }

    /** Adds an integer tensor (a buffer such as position_ids) as I64, I32, I16, I8 or U8, little-endian. */
    public SafetensorsWriter addIntegers(String name, String dtype, long[] shape, long[] values) {
        int width = switch (dtype) {
            case "I64" -> 8;
            case "I32" -> 4;
            case "I16" -> 2;
            case "I8", "U8" -> 1;
            default -> throw new IllegalArgumentException("not an integer dtype: " + dtype);
        };
        ByteBuffer bytes = ByteBuffer.allocate(values.length * width).order(ByteOrder.LITTLE_ENDIAN);
        for (long value : values) {
            switch (width) {
                case 8 -> bytes.putLong(value);
                case 4 -> bytes.putInt((int) value);
                case 2 -> bytes.putShort((short) value);
                default -> bytes.put((byte) value);
            }
        }
        return addRaw(name, dtype, shape, bytes.array());
    }

    /**
     * Adds a tensor whose bytes are written exactly as given. Nothing is checked, so tests can
     * write unknown dtypes or byte counts that disagree with the shape.
     */
    public SafetensorsWriter addRaw(String name, String dtype, long[] shape, byte[] bytes) {
        if (tensors.containsKey(name) || name.equals("__metadata__")) {
            throw new IllegalArgumentException("tensor name already used: " + name);
        }
        tensors.put(name, new Entry(dtype, shape.clone(), bytes.clone(), null));
        return this;
    }

    /**
     * Adds a float32 (rows, width) tensor whose rows {@code row.apply(r)} are produced while the file
     * is written, so that a large table (XLM-R's 250002 × 768 word embeddings) never sits in memory.
     */
    public SafetensorsWriter addF32Rows(String name, int rows, int width, IntFunction<float[]> row) {
        if (tensors.containsKey(name) || name.equals("__metadata__")) {
            throw new IllegalArgumentException("tensor name already used: " + name);
        }
        tensors.put(name, new Entry("F32", new long[] {rows, width}, null, row));
        return this;
    }

    /** Adds or replaces a {@code __metadata__} entry ({@code "format":"pt"} is there by default). */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public void write(Path file) {
        StringBuilder header = new StringBuilder("{\"__metadata__\":").append(jsonObject(metadata));
        long offset = 0;
        for (Map.Entry<String, Entry> tensor : tensors.entrySet()) {
            Entry entry = tensor.getValue();
            long end = offset + entry.byteLength();
            header.append(',').append(jsonString(tensor.getKey()))
                    .append(":{\"dtype\":").append(jsonString(entry.dtype()))
                    .append(",\"shape\":").append(Arrays.toString(entry.shape()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        header.append('}');
        writeFile(file, header.toString());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            for (Entry entry : tensors.values()) {
                if (entry.bytes() != null) {
                    writeFully(channel, ByteBuffer.wrap(entry.bytes()));
                } else {
                    writeRows(channel, entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void writeRows(FileChannel channel, Entry entry) throws IOException {
        int rows = Math.toIntExact(entry.shape()[0]);
        int width = Math.toIntExact(entry.shape()[1]);
        ByteBuffer chunk = ByteBuffer.allocateDirect(Math.max(1, (4 << 20) / (width * Float.BYTES)) * width * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            float[] row = entry.rows().apply(r);
            if (row.length != width) {
                throw new IllegalStateException("row " + r + " has " + row.length + " values, not " + width);
            }
            if (chunk.remaining() < width * Float.BYTES) {
                writeFully(channel, chunk.flip());
                chunk.clear();
            }
            chunk.asFloatBuffer().put(row);
            chunk.position(chunk.position() + width * Float.BYTES);
        }
        writeFully(channel, chunk.flip());
    }

    /**
     * Writes the bare layout: length prefix, {@code headerJson} padded with spaces to a multiple of
     * 8 bytes, then the data chunks in order. For hand-made (for example corrupt) headers.
     */
    public static void writeFile(Path file, String headerJson, byte[]... data) {
        byte[] json = headerJson.getBytes(StandardCharsets.UTF_8);
        int paddedLength = (json.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(8 + paddedLength).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(paddedLength).put(json);
        while (prefix.hasRemaining()) {
            prefix.put((byte) ' ');
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(channel, prefix.flip());
            for (byte[] chunk : data) {
                writeFully(channel, ByteBuffer.wrap(chunk));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Little-endian bytes of {@code data} in {@code dtype}. */
    public static byte[] encode(float[] data, Dtype dtype) {
        ByteBuffer bytes = ByteBuffer.allocate(data.length * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        if (dtype == Dtype.F32) {
            bytes.asFloatBuffer().put(data);
            return bytes.array();
        }
        ShortBuffer halves = bytes.asShortBuffer();
        for (float value : data) {
            halves.put(dtype == Dtype.F16 ? HalfPrecision.toF16Bits(value) : HalfPrecision.toBf16Bits(value));
        }
        return bytes.array();
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static String jsonObject(Map<String, String> entries) {
        return entries.entrySet().stream()
                .map(e -> jsonString(e.getKey()) + ":" + jsonString(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String jsonString(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> quoted.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return quoted.append('"').toString();
    }
}
