package io.embedserve.inference.encode;

import java.util.Locale;

/**
 * The DTYPE setting: the precision of the encoder's dense layers (encoder.py's prepare_dense is
 * the one place that acts on it). float32 is exact; bfloat16 and int8 trade fidelity for speed
 * within the bounds measured in docs/PERFORMANCE.md. A checkpoint stored in F16 or BF16 is widened
 * to float32 at load and computed in the DTYPE chosen here, like any other.
 */
public enum ComputeDtype {
    FLOAT32("float32", 6),
    BFLOAT16("bfloat16", 15),
    INT8("int8", 12);

    private final String wireName;
    /** The ScalarType code libtorch uses (float32 6, bfloat16 15, qint8 12). */
    final int scalarType;

    ComputeDtype(String wireName, int scalarType) {
        this.wireName = wireName;
        this.scalarType = scalarType;
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
