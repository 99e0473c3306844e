package io.embedserve.inference;

/**
 * How to score a request's inputs with a cross-encoder.
 *
 * @param rawScores return the logits as they are instead of sigmoid (one label) or softmax (several)
 * @param truncate cut inputs longer than the model's max length instead of refusing them
 * @param direction which end of each text to cut
 */
public record ScoreOptions(boolean rawScores, boolean truncate, TruncationDirection direction) {

    public ScoreOptions {
        direction = direction == null ? TruncationDirection.RIGHT : direction;
    }

    /** TEI's defaults here: activated scores, truncated on the right. */
    public static ScoreOptions defaults() {
        return new ScoreOptions(false, true, TruncationDirection.RIGHT);
    }
}
