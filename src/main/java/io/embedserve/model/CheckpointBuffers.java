package io.embedserve.model;

import io.embedserve.error.ModelLoadException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The non-parameter buffers transformers writes into a checkpoint beside the weights. Checkpoints
 * saved before transformers 4.31 (most sentence-transformers models on the Hub) hold
 * {@code embeddings.position_ids}, an I64 {@code arange} of [1, max_position_embeddings]; newer
 * ones may hold {@code embeddings.token_type_ids}, zeros of the same shape. The encoder computes
 * both itself, so a buffer is only checked to hold exactly what transformers puts there (anything
 * else means a modified checkpoint whose vectors we cannot promise) and is then released.
 */
public final class CheckpointBuffers {

    static final String POSITION_IDS = "embeddings.position_ids";
    static final String TOKEN_TYPE_IDS = "embeddings.token_type_ids";

    private CheckpointBuffers() {}

    /**
     * Checks the buffers present under {@code prefix} (the weights' own prefix: "", "bert." or
     * "roberta.") and returns the names it checked, so that the loader counts them as accounted for.
     */
    public static Set<String> verify(SafetensorsWeights weights, String prefix) {
        Set<String> checked = new LinkedHashSet<>();
        for (String buffer : List.of(POSITION_IDS, TOKEN_TYPE_IDS)) {
            TensorEntry entry = weights.entry(prefix + buffer);
            if (entry == null) {
                continue;
            }
            long[] values = weights.integers(entry);
            for (int i = 0; i < values.length; i++) {
                long expected = buffer.equals(POSITION_IDS) ? i : 0;
                if (values[i] != expected) {
                    throw new ModelLoadException("Buffer " + entry.name() + " in " + entry.file() + " holds "
                            + values[i] + " at index " + i + " where transformers writes " + expected + " ("
                            + (buffer.equals(POSITION_IDS) ? "0, 1, 2, ..." : "all zeros") + "). The checkpoint"
                            + " was modified after it was saved; download the model again.");
                }
            }
            checked.add(entry.name());
        }
        return checked;
    }
}
