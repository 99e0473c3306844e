package io.embedserve.model;

/** The safetensors dtypes the encoder accepts; all are computed in float32. */
public enum TensorDtype {
    F32(4),
    F16(2),
    BF16(2);

    private final int bytes;

    TensorDtype(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** Returns the dtype for a safetensors dtype string, or null if it is not a float dtype we read. */
    static TensorDtype fromHeader(String name) {
        for (TensorDtype dtype : values()) {
            if (dtype.name().equals(name)) {
                return dtype;
            }
        }
        return null;
    }
}
