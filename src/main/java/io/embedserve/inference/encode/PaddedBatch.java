package io.embedserve.inference.encode;

import java.util.List;

/**
 * A batch of token sequences, right-padded to the longest one, flattened row-major: the encoder
 * program's inputs. Position ids are numbered inside the program, from the mask.
 *
 * @param inputIds (B×T) token ids, padding holds pad_token_id
 * @param attentionMask (B×T) 1 for real tokens, 0 for padding
 * @param tokenTypeIds (B×T) token type ids, padding holds 0
 * @param batchSize B
 * @param length T, the longest sequence
 */
record PaddedBatch(long[] inputIds, long[] attentionMask, long[] tokenTypeIds, int batchSize, int length) {

    /** One-segment inputs: every token type is 0. */
    static PaddedBatch of(List<long[]> sequences, long padTokenId) {
        return of(sequences, null, padTokenId);
    }

    /** @param typeIds each sequence's token type ids, or null for all 0 */
    static PaddedBatch of(List<long[]> sequences, List<long[]> typeIds, long padTokenId) {
        int batch = sequences.size();
        int length = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        long[] types = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            long[] sequence = sequences.get(b);
            for (int t = 0; t < sequence.length; t++) {
                ids[b * length + t] = sequence[t];
                mask[b * length + t] = 1;
                types[b * length + t] = typeIds == null ? 0 : typeIds.get(b)[t];
            }
            for (int t = sequence.length; t < length; t++) {
                ids[b * length + t] = padTokenId;
            }
        }
        return new PaddedBatch(ids, mask, types, batch, length);
    }
}
