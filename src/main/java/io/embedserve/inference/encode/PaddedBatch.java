package io.embedserve.inference.encode;

import java.util.List;

/**
 * A batch of token sequences, right-padded to the longest one, flattened row-major: the encoder
 * program's two inputs. Position ids are numbered inside the program, from the mask.
 *
 * @param inputIds (B×T) token ids, padding holds pad_token_id
 * @param attentionMask (B×T) 1 for real tokens, 0 for padding
 * @param batchSize B
 * @param length T, the longest sequence
 */
record PaddedBatch(long[] inputIds, long[] attentionMask, int batchSize, int length) {

    static PaddedBatch of(List<long[]> sequences, long padTokenId) {
        int batch = sequences.size();
        int length = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            long[] sequence = sequences.get(b);
            for (int t = 0; t < length; t++) {
                boolean real = t < sequence.length;
                ids[b * length + t] = real ? sequence[t] : padTokenId;
                mask[b * length + t] = real ? 1 : 0;
            }
        }
        return new PaddedBatch(ids, mask, batch, length);
    }
}
