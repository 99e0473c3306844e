package io.embedserve.inference.tokenize;

/**
 * A tokenized text before truncation.
 *
 * @param ids token ids, special tokens included
 * @param specialMask 1 where the tokenizer added a special token, else 0
 */
public record TokenIds(long[] ids, long[] specialMask) {

    public int length() {
        return ids.length;
    }
}
