package io.embedserve.inference.tokenize;

/**
 * A tokenized text pair, as the tokenizer's pair template lays it out (BERT:
 * {@code [CLS] a [SEP] b [SEP]}; XLM-R: {@code <s> a </s></s> b </s>}), before truncation.
 *
 * @param ids token ids, the template's special tokens included
 * @param typeIds token type ids as the template assigns them (BERT: 1 from the second text on)
 * @param sequenceIds for each token, 0 if it comes from the first text, 1 from the second, -1 for a
 *     token the template added
 */
public record PairTokenIds(long[] ids, long[] typeIds, long[] sequenceIds) {

    public int length() {
        return ids.length;
    }
}
