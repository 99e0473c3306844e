package io.embedserve.inference;

import io.embedserve.inference.tokenize.TextTokenizer;
import io.embedserve.inference.tokenize.TokenIds;

/**
 * Tokenizes only as much of a long text as truncation can keep. A 2 MB string tokenized whole took
 * hundreds of MB in the native tokenizer only for all but max_seq_length tokens to be
 * dropped. So a text longer than the window is cut first, on the side truncation cuts, and only
 * the part that is kept is tokenized.
 *
 * <p>The vector does not change, because the tokens truncation keeps are the same with and without
 * the cut:
 * <ul>
 *   <li>the window is at least {@value #SAFETY} × max_seq_length × (the most characters one token
 *       can cover + 1 for a separator), so it normally holds several times the tokens kept;
 *   <li>the cut falls on whitespace where the text has any near it, which every supported
 *       pre-tokenizer (BERT's, Metaspace, byte-level) splits at, so the words inside the window
 *       are tokenized exactly as in the whole text; at most the one word at the cut differs;
 *   <li>the result is checked: unless the window gave {@value #MARGIN_TOKENS} tokens more than
 *       are kept, the edge could reach the kept tokens, and a window twice as large is tried
 *       (up to the whole text). Texts of sparse tokens (long runs of spaces) end up there, and
 *       they are cheap to tokenize whole.
 * </ul>
 */
final class BoundedTokenization {

    static final int SAFETY = 4;
    static final int MARGIN_TOKENS = 64;

    private BoundedTokenization() {}

    /** The first window: never below MAX_INPUT_CHARS, never below what max_seq_length tokens can span. */
    static int windowChars(int maxInputChars, int maxSeqLength, int longestTokenChars) {
        long spanned = (long) SAFETY * maxSeqLength * (longestTokenChars + 1L);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(maxInputChars, spanned));
    }

    /** The tokens of {@code text}, or of the part of it that holds every token truncation keeps. */
    static TokenIds encode(TextTokenizer tokenizer, String text, int maxTokens, int window, TruncationDirection direction) {
        for (long size = window; size < text.length(); size *= 2) {
            String kept = direction == TruncationDirection.RIGHT
                    ? text.substring(0, cutBefore(text, (int) size))
                    : text.substring(cutAfter(text, text.length() - (int) size));
            TokenIds tokens = tokenizer.encode(kept);
            if (tokens.length() >= maxTokens + MARGIN_TOKENS) {
                return tokens;
            }
        }
        return tokenizer.encode(text);
    }

    /** An end index at or before {@code at}: before a whitespace in the last eighth, never inside a surrogate pair. */
    static int cutBefore(String text, int at) {
        for (int i = at; i > at - at / 8 && i > 0; i--) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return Character.isLowSurrogate(text.charAt(at)) ? at - 1 : at;
    }

    /** A start index at or after {@code at}: on a whitespace in the next stretch, never inside a surrogate pair. */
    static int cutAfter(String text, int at) {
        int reach = (text.length() - at) / 8;
        for (int i = at; i < at + reach && i < text.length() - 1; i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return Character.isLowSurrogate(text.charAt(at)) ? at + 1 : at;
    }
}
