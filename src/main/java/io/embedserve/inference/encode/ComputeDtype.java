package io.embedserve.inference.encode;

import java.util.Locale;

/**
 * The DTYPE setting: the precision of the encoder's dense layers (encoder.py's prepare_dense is
 * the one place that acts on it). float32 is exact; bfloat16 and int8 trade fidelity for speed
 * within the bounds measured in docs/PERFORMANCE.md. A checkpoint stored in F16 or BF16 is widened
 * to float32 at load and computed in the DTYPE chosen here, like any other.
 */
public enum ComputeDtype {
    FLOAT32("float32", 6, null),
    BFLOAT16("bfloat16", 15, null),
    INT8("int8", 12, "dynamic int8 quantization (per-output-channel qint8 weights prepacked once, each batch's"
            + " activations quantized per tensor, reduce_range off) reproduced float32's all-MiniLM-L6-v2 vectors"
            + " with a minimum cosine of only 0.966 over 1,053 varied texts, below the 0.995 this service promises;"
            + " no single layer or layer kind is to blame, and even per-token activation scales reach only 0.981"
            + " (docs/PERFORMANCE.md). Use DTYPE=bfloat16 (minimum cosine 0.99989) for speed.");

    private final String wireName;
    /** The ScalarType code libtorch uses (float32 6, bfloat16 15, qint8 12). */
    final int scalarType;
    private final String refusal;

    ComputeDtype(String wireName, int scalarType, String refusal) {
        this.wireName = wireName;
        this.scalarType = scalarType;
        this.refusal = refusal;
    }

    /**
     * Why the service refuses this dtype at start, with the measurement behind it; null when it is
     * accepted. The encoder can still run it, so that the measurement can be repeated.
     */
    public String refusal() {
        return refusal;
    }

    /**
     * The largest relative row error ({@code ||y - expected|| / ||expected||}) the load-time check
     * allows a dense layer's fast path in this dtype before it falls back to float32
     * ({@link DenseSelfCheck}). float32: a float32 GEMM's own rounding measured 1-6e-7 from 32 to
     * 3072 inputs; 1e-5 leaves that room twenty-fold, and a kernel that misreads its weights showed
     * errors of 1e-2 and more. bfloat16: measured against the product of the bfloat16-rounded operands,
     * so what remains is the one rounding of each output to bfloat16's 8-bit significand, at most
     * 2^-9 relative per element; 2^-8 allows twice that. int8: its own quantization error on the
     * check's standard normal inputs measured 3-7% per row on all-MiniLM-L6-v2's shapes, so 0.2 only
     * catches a kernel that is wrong (int8 is refused at start anyway).
     */
    public double denseTolerance() {
        return switch (this) {
            case FLOAT32 -> 1e-5;
            case BFLOAT16 -> 0x1p-8;
            case INT8 -> 0.2;
        };
    }

    /** The name in DTYPE, GET /info, the cache key and the metrics: float32, bfloat16, int8. */
    public String wireName() {
        return wireName;
    }

    /** Parses float32 / bfloat16 / int8 (case-insensitive), or returns null. */
    public static ComputeDtype fromName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (ComputeDtype dtype : values()) {
            if (dtype.wireName.equals(wanted)) {
                return dtype;
            }
        }
        return null;
    }
}
