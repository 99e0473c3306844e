package io.embedserve.inference;

import java.util.Objects;

/**
 * One input after tokenization: what the encoder consumes, and what the embedding cache keys on.
 *
 * @param text the text that was tokenized (prompt included), or null when the client sent ids
 * @param ids token ids, special tokens included, already truncated
 * @param direction the truncation direction that produced {@code ids}
 * @param truncationLength the length limit that produced {@code ids}
 */
public record TokenizedInput(
        String text, long[] ids, TruncationDirection direction, int truncationLength) {

    public TokenizedInput {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(direction, "direction");
    }

    public int length() {
        return ids.length;
    }
}
