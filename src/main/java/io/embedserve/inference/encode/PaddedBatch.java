package io.embedserve.inference.encode;

import io.embedserve.model.EncoderConfig;
import java.util.List;

/**
 * A batch of token sequences, right-padded to the longest one, flattened row-major.
 *
 * @param inputIds (B×T) token ids, padding holds pad_token_id
 * @param positionIds (B×T) position ids by the family's rule
 * @param mask (B×T) 1 for real tokens, 0 for padding
 * @param batchSize B
 * @param length T, the longest sequence
 */
public record PaddedBatch(long[] inputIds, long[] positionIds, float[] mask, int batchSize, int length) {

    public static PaddedBatch of(List<long[]> sequences, EncoderConfig config) {
        int batch = sequences.size();
        int length = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        long[] ids = new long[batch * length];
        long[] positions = new long[batch * length];
        float[] mask = new float[batch * length];
        boolean offset = config.family().paddingOffsetPositions();
        long pad = config.padTokenId();
        for (int b = 0; b < batch; b++) {
            long[] sequence = sequences.get(b);
            for (int t = 0; t < length; t++) {
                int at = b * length + t;
                boolean real = t < sequence.length;
                ids[at] = real ? sequence[t] : pad;
                mask[at] = real ? 1f : 0f;
                // RoBERTa/XLM-R: real tokens count from pad_token_id + 1, padding keeps pad_token_id.
                positions[at] = offset ? (real ? pad + 1 + t : pad) : t;
            }
        }
        return new PaddedBatch(ids, positions, mask, batch, length);
    }
}
