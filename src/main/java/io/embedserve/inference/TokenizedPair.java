package io.embedserve.inference;

/**
 * A (query, text) pair ready for a cross-encoder: the pair template's ids and token type ids, cut to
 * the model's max length.
 *
 * @param ids token ids, special tokens included
 * @param typeIds the token type ids the model reads (all 0 for models that read none)
 * @param untruncatedLength the pair's length before truncation: above the model's max length, the
 *     pair was cut
 */
public record TokenizedPair(long[] ids, long[] typeIds, int untruncatedLength) {

    public int length() {
        return ids.length;
    }

    /** Whether tokens of either text were cut to fit. */
    public boolean truncated() {
        return untruncatedLength > ids.length;
    }
}
