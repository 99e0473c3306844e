package io.embedserve.inference.tokenize;

import io.embedserve.inference.TruncationDirection;

/**
 * Cuts a tokenized pair to a length limit as Hugging Face tokenizers' LongestFirst strategy does,
 * which is what sentence-transformers' CrossEncoder asks of the tokenizer ({@code truncation=True}
 * on a pair): the template's special tokens stay; of the texts' tokens, the shorter text keeps all
 * of its own when the longer one can give up enough, otherwise each keeps half the budget (the
 * longer one the odd token). Each text loses tokens from the chosen end.
 */
public final class PairTruncation {

    private PairTruncation() {}

    /**
     * @param maxLength the most tokens the pair may have, special tokens included
     * @throws IllegalArgumentException when even the special tokens do not fit
     */
    public static PairTokenIds truncate(PairTokenIds pair, int maxLength, TruncationDirection direction) {
        if (pair.length() <= maxLength) {
            return pair;
        }
        long[] sequence = pair.sequenceIds();
        int first = count(sequence, 0);
        int second = count(sequence, 1);
        int budget = maxLength - (pair.length() - first - second); // for the texts' own tokens
        if (budget <= 0) {
            throw new IllegalArgumentException("a pair needs more than " + maxLength + " tokens for its special tokens");
        }
        int[] kept = keptLengths(first, second, budget);
        long[] ids = new long[maxLength];
        long[] typeIds = new long[maxLength];
        long[] sequenceIds = new long[maxLength];
        int[] seen = new int[2];
        int out = 0;
        for (int t = 0; t < pair.length(); t++) {
            int s = (int) sequence[t];
            if (s >= 0) {
                int index = seen[s]++;
                int total = s == 0 ? first : second;
                boolean keep = direction == TruncationDirection.RIGHT ? index < kept[s] : index >= total - kept[s];
                if (!keep) {
                    continue;
                }
            }
            ids[out] = pair.ids()[t];
            typeIds[out] = pair.typeIds()[t];
            sequenceIds[out] = s;
            out++;
        }
        return new PairTokenIds(ids, typeIds, sequenceIds);
    }

    /**
     * How many of its own tokens each text keeps within {@code budget} (< first + second): the
     * tokenizers library's rule, shortest text first.
     */
    static int[] keptLengths(int first, int second, int budget) {
        boolean swapped = first > second;
        int shorter = swapped ? second : first;
        int longer;
        if (shorter > budget) {
            longer = shorter;
        } else {
            longer = Math.max(shorter, budget - shorter);
        }
        if (shorter + longer > budget) {
            shorter = budget / 2;
            longer = shorter + budget % 2;
        }
        return swapped ? new int[] {longer, shorter} : new int[] {shorter, longer};
    }

    private static int count(long[] sequenceIds, int which) {
        int count = 0;
        for (long id : sequenceIds) {
            if (id == which) {
                count++;
            }
        }
        return count;
    }
}
