package io.embedserve.model;

import io.embedserve.error.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The checkpoint's tensors: one model.safetensors, or the shards listed in
 * model.safetensors.index.json. Tensor data is memory-mapped, never read through the Java heap:
 * aligned float32 tensors are handed out as the mapped bytes themselves, so loading costs no copy at all;
 * 16-bit tensors are widened window by window into a direct float32 buffer.
 */
public final class SafetensorsWeights {

    /** Bytes of a 16-bit source mapped at once while widening; keeps resident memory flat. */
    private static final long WIDEN_WINDOW_BYTES = 64L * 1024 * 1024;

    private final Map<String, TensorEntry> entries;

    private SafetensorsWeights(Map<String, TensorEntry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    public static SafetensorsWeights open(Path modelDir) {
        Path single = modelDir.resolve(ModelFileCheck.WEIGHTS);
        if (Files.isRegularFile(single)) {
            return new SafetensorsWeights(SafetensorsFile.readHeader(single));
        }
        Path index = modelDir.resolve(ModelFileCheck.WEIGHTS_INDEX);
        JsonNode weightMap = JsonFiles.read(index).path("weight_map");
        if (!weightMap.isObject()) {
            throw new ModelLoadException(index + " has no weight_map. Download the model again.");
        }
        Map<String, Map<String, TensorEntry>> shards = new LinkedHashMap<>();
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> mapping : weightMap.properties()) {
            String shardName = mapping.getValue().asString("");
            Path shard = modelDir.resolve(shardName);
            if (!Files.isRegularFile(shard)) {
                throw new ModelLoadException(
                        index + " lists shard " + shardName + " but " + shard + " is missing. The"
                                + " download is incomplete: fetch the model again.");
            }
            TensorEntry entry = shards.computeIfAbsent(shardName, s -> SafetensorsFile.readHeader(shard))
                    .get(mapping.getKey());
            if (entry == null) {
                throw new ModelLoadException(
                        index + " places " + mapping.getKey() + " in " + shard + ", which does not hold it.");
            }
            entries.put(mapping.getKey(), entry);
        }
        return new SafetensorsWeights(entries);
    }

    public Set<String> names() {
        return entries.keySet();
    }

    public TensorEntry entry(String name) {
        return entries.get(name);
    }

    /**
     * The tensor's values as float32 in native byte order, in a direct buffer of exactly
     * {@code elementCount * 4} bytes. Float32 data 4-byte aligned in the file comes back as the
     * mapped file bytes, read-only: the cache volume is mounted read-only, and the encoder never
     * writes to a weight in place.
     */
    public ByteBuffer float32(TensorEntry entry) {
        if (!entry.dtype().isFloatingPoint()) {
            throw new ModelLoadException("Tensor " + entry.name() + " in " + entry.file() + " has dtype "
                    + entry.dtype() + ", but a weight must be F32, F16 or BF16. The checkpoint does not"
                    + " match config.json.");
        }
        try (FileChannel channel = FileChannel.open(entry.file(), StandardOpenOption.READ)) {
            if (entry.dtype() == TensorDtype.F32 && entry.position() % 4 == 0
                    && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                return channel.map(FileChannel.MapMode.READ_ONLY, entry.position(), entry.byteLength())
                        .order(ByteOrder.nativeOrder());
            }
            return widen(channel, entry);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot map " + entry.name() + " from " + entry.file() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The values of an integer tensor (a buffer such as {@code embeddings.position_ids}), widened to
     * long. Buffers are small ([1, max_position_embeddings]), so they are read through the heap.
     */
    public long[] integers(TensorEntry entry) {
        if (entry.dtype().isFloatingPoint()) {
            throw new ModelLoadException("Tensor " + entry.name() + " in " + entry.file() + " has dtype "
                    + entry.dtype() + ", but it is an integer buffer. The checkpoint is not one transformers wrote.");
        }
        long[] values = new long[Math.toIntExact(entry.elementCount())];
        try (FileChannel channel = FileChannel.open(entry.file(), StandardOpenOption.READ)) {
            MappedByteBuffer source = channel.map(FileChannel.MapMode.READ_ONLY, entry.position(), entry.byteLength());
            source.order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (entry.dtype()) {
                    case I64 -> source.getLong();
                    case I32 -> source.getInt();
                    case I16 -> source.getShort();
                    case I8 -> source.get();
                    case U8 -> Byte.toUnsignedLong(source.get());
                    case F32, F16, BF16 -> throw new IllegalStateException("checked above");
                };
            }
            MappedBuffers.unmap(source);
            return values;
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + entry.name() + " from " + entry.file() + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer widen(FileChannel channel, TensorEntry entry) throws IOException {
        ByteBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(entry.elementCount() * 4))
                .order(ByteOrder.nativeOrder());
        long done = 0;
        while (done < entry.byteLength()) {
            long window = Math.min(WIDEN_WINDOW_BYTES, entry.byteLength() - done);
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, entry.position() + done, window);
            ByteBuffer source = mapped.order(ByteOrder.LITTLE_ENDIAN);
            switch (entry.dtype()) {
                case F32 -> {
                    while (source.hasRemaining()) {
                        out.putFloat(source.getFloat());
                    }
                }
                case F16 -> {
                    ShortBuffer halves = source.asShortBuffer();
                    while (halves.hasRemaining()) {
                        out.putFloat(HalfFloats.f16ToFloat(halves.get()));
                    }
                }
                case BF16 -> {
                    ShortBuffer halves = source.asShortBuffer();
                    while (halves.hasRemaining()) {
                        out.putFloat(HalfFloats.bf16ToFloat(halves.get()));
                    }
                }
                default -> throw new IllegalStateException("not a float dtype: " + entry.dtype());
            }
            MappedBuffers.unmap(mapped);
            done += window;
        }
        return out.flip();
    }
}
