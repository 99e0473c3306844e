package io.embedserve.inference.tokenize;

import io.embedserve.inference.TruncationDirection;
import java.util.Arrays;

/**
 * Cuts a tokenized text to a length limit the way Hugging Face tokenizers does for one sequence:
 * the special tokens the template adds at either end stay, and the text between them loses tokens
 * from the chosen side.
 */
public final class Truncation {

    private Truncation() {}

    public static long[] truncate(TokenIds tokens, int maxLength, TruncationDirection direction) {
        long[] ids = tokens.ids();
        if (ids.length <= maxLength) {
            return ids;
        }
        int leading = 0;
        while (leading < ids.length && tokens.specialMask()[leading] == 1) {
            leading++;
        }
        int trailing = 0;
        while (trailing < ids.length - leading && tokens.specialMask()[ids.length - 1 - trailing] == 1) {
            trailing++;
        }
        if (leading + trailing >= maxLength) {
            return truncateIds(ids, maxLength, direction);
        }
        int keep = maxLength - leading - trailing;
        int contentStart = direction == TruncationDirection.RIGHT ? leading : ids.length - trailing - keep;
        long[] out = new long[maxLength];
        System.arraycopy(ids, 0, out, 0, leading);
        System.arraycopy(ids, contentStart, out, leading, keep);
        System.arraycopy(ids, ids.length - trailing, out, leading + keep, trailing);
        return out;
    }

    /** Cuts ids the client sent, which carry no special-token mask, from the chosen side. */
    public static long[] truncateIds(long[] ids, int maxLength, TruncationDirection direction) {
        if (ids.length <= maxLength) {
            return ids;
        }
        return direction == TruncationDirection.RIGHT
                ? Arrays.copyOfRange(ids, 0, maxLength)
                : Arrays.copyOfRange(ids, ids.length - maxLength, ids.length);
    }
}
