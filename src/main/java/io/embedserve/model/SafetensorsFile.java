package io.embedserve.model;

import io.embedserve.error.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads the header of one safetensors file: an 8-byte little-endian header length, a JSON header
 * naming each tensor's dtype, shape and [begin, end) byte range, then the data. Every range is
 * checked against the file size here, so a truncated download fails at start-up naming the file.
 */
final class SafetensorsFile {

    /** The Rust reference implementation refuses headers over 100 MB; so do we. */
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private SafetensorsFile() {}

    static Map<String, TensorEntry> readHeader(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw corrupt(file, "it is " + size + " bytes long, shorter than the 8-byte header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
                throw corrupt(file, "its header length " + headerLength + " does not fit the file of " + size + " bytes");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8);
            JsonNode json = JsonFiles.parse(header.array(), "the safetensors header of " + file);
            return entries(file, json, 8 + headerLength, size);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, TensorEntry> entries(Path file, JsonNode json, long dataStart, long fileSize) {
        if (!json.isObject()) {
            throw corrupt(file, "its header is not a JSON object");
        }
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : json.properties()) {
            if (field.getKey().equals("__metadata__")) {
                continue;
            }
            TensorEntry entry = entry(file, field.getKey(), field.getValue(), dataStart);
            if (entry.position() + entry.byteLength() > fileSize) {
                throw corrupt(file, "tensor " + entry.name() + " ends at byte "
                        + (entry.position() + entry.byteLength()) + " but the file has " + fileSize
                        + " bytes (truncated download?)");
            }
            entries.put(entry.name(), entry);
        }
        return entries;
    }

    private static TensorEntry entry(Path file, String name, JsonNode node, long dataStart) {
        String dtypeName = node.path("dtype").asString("");
        TensorDtype dtype = TensorDtype.fromHeader(dtypeName);
        if (dtype == null) {
            throw new ModelLoadException(
                    file + ": tensor " + name + " has dtype '" + dtypeName + "'; EmbedServe reads F32,"
                            + " F16 and BF16 weights and integer (I64, I32, I16, I8, U8) buffers.");
        }
        JsonNode shapeNode = node.path("shape");
        JsonNode offsets = node.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw corrupt(file, "tensor " + name + " lacks a shape or data_offsets");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong(-1);
            if (shape[i] < 0) {
                throw corrupt(file, "tensor " + name + " has a negative dimension");
            }
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        TensorEntry entry = new TensorEntry(name, dtype, shape, file, dataStart + begin, end - begin);
        if (begin < 0 || end < begin || entry.elementCount() * dtype.bytes() != end - begin) {
            throw corrupt(file, "tensor " + name + " has data_offsets [" + begin + ", " + end
                    + "] that do not match its shape " + entry.shapeText() + " and dtype " + dtype);
        }
        return entry;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new IOException("unexpected end of file");
            }
            at += read;
        }
    }

    private static ModelLoadException corrupt(Path file, String reason) {
        return new ModelLoadException(
                file + " is not a valid safetensors file: " + reason + ". Download the model again.");
    }
}
