package io.embedserve.model;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where one tensor lives in a safetensors file.
 *
 * @param name the tensor's name in the checkpoint
 * @param dtype its stored dtype
 * @param shape its shape
 * @param file the file that holds it
 * @param position absolute byte offset of its first byte in {@code file}
 * @param byteLength its size in bytes
 */
public record TensorEntry(
        String name, TensorDtype dtype, long[] shape, Path file, long position, long byteLength) {

    public long elementCount() {
        return Arrays.stream(shape).reduce(1L, Math::multiplyExact);
    }

    public String shapeText() {
        return Arrays.toString(shape);
    }
}
