package io.embedserve.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a safetensors file back so that tests can make assertions about what a writer produced.
 * Deliberately minimal and lenient (no validation): it is a test's eyes, not the service's reader.
 */
public final class SafetensorsInspector {

    /** One header entry; offsets are relative to the start of the data section. */
    public record TensorInfo(String dtype, long[] shape, long begin, long end) {
    }

    private final long headerLength;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    private final ByteBuffer data;

    private SafetensorsInspector(ByteBuffer file) {
        file.order(ByteOrder.LITTLE_ENDIAN);
        headerLength = file.getLong(0);
        byte[] json = new byte[Math.toIntExact(headerLength)];
        file.get(8, json);
        JsonNode header = JsonMapper.shared().readTree(new String(json, StandardCharsets.UTF_8));
        for (Map.Entry<String, JsonNode> property : header.properties()) {
            JsonNode value = property.getValue();
            if (property.getKey().equals("__metadata__")) {
                value.properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asString()));
                continue;
            }
            long[] shape = StreamSupport.stream(value.get("shape").spliterator(), false)
                    .mapToLong(JsonNode::longValue).toArray();
            JsonNode offsets = value.get("data_offsets");
            tensors.put(property.getKey(), new TensorInfo(value.get("dtype").asString(), shape,
                    offsets.get(0).longValue(), offsets.get(1).longValue()));
        }
        data = file.slice(Math.toIntExact(8 + headerLength), file.capacity() - Math.toIntExact(8 + headerLength))
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    public static SafetensorsInspector open(Path file) {
        try (FileChannel channel = FileChannel.open(file)) {
            return new SafetensorsInspector(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The JSON header's byte count as stored in the 8-byte prefix (padding included). */
    public long headerLength() {
        return headerLength;
    }

    public long dataLength() {
        return data.capacity();
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return tensors.keySet();
    }

    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new IllegalArgumentException("no tensor " + name + " in " + tensors.keySet());
        }
        return info;
    }

    /** Decodes an F32, F16 or BF16 tensor into floats, row-major as stored. */
    public float[] floats(String name) {
        TensorInfo info = info(name);
        ByteBuffer bytes = data.slice(Math.toIntExact(info.begin()), Math.toIntExact(info.end() - info.begin()))
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.capacity() / ("F32".equals(info.dtype()) ? 4 : 2)];
        switch (info.dtype()) {
            case "F32" -> bytes.asFloatBuffer().get(values);
            case "F16" -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = HalfPrecision.f16BitsToFloat(bytes.getShort(2 * i));
                }
            }
            case "BF16" -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = HalfPrecision.bf16BitsToFloat(bytes.getShort(2 * i));
                }
            }
            default -> throw new IllegalArgumentException(name + " has dtype " + info.dtype());
        }
        return values;
    }

    /** Decodes an I64 tensor (a buffer such as position_ids), row-major as stored. */
    public long[] longs(String name) {
        TensorInfo info = info(name);
        if (!"I64".equals(info.dtype())) {
            throw new IllegalArgumentException(name + " has dtype " + info.dtype());
        }
        long[] values = new long[Math.toIntExact((info.end() - info.begin()) / Long.BYTES)];
        data.slice(Math.toIntExact(info.begin()), values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .asLongBuffer().get(values);
        return values;
    }
}
