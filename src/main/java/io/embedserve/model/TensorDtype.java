package io.embedserve.model;

/**
 * The safetensors dtypes a checkpoint may hold. Float tensors are weights, all computed in float32;
 * integer tensors are the buffers transformers saves beside them ({@code embeddings.position_ids},
 * {@code embeddings.token_type_ids}), which are read as integers and never converted to floats.
 */
public enum TensorDtype {
    F32(4, true),
    F16(2, true),
    BF16(2, true),
    I64(8, false),
    I32(4, false),
    I16(2, false),
    I8(1, false),
    U8(1, false);

    private final int bytes;
    private final boolean floatingPoint;

    TensorDtype(int bytes, boolean floatingPoint) {
        this.bytes = bytes;
        this.floatingPoint = floatingPoint;
    }

    public int bytes() {
        return bytes;
    }

    /** True for the weight dtypes (F32, F16, BF16); false for integer buffers. */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** Returns the dtype for a safetensors dtype string, or null if EmbedServe does not read it. */
    static TensorDtype fromHeader(String name) {
        for (TensorDtype dtype : values()) {
            if (dtype.name().equals(name)) {
                return dtype;
            }
        }
        return null;
    }
}
