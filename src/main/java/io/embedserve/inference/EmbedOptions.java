package io.embedserve.inference;

/**
 * How to embed a request's inputs.
 *
 * @param normalize L2-normalise each vector (after {@code dimensions} is applied)
 * @param truncate cut inputs longer than the model's max_seq_length instead of refusing them
 * @param direction which end to cut
 * @param dimensions keep only the first N components (Matryoshka style); null keeps all
 * @param promptName a prompt from config_sentence_transformers.json to prepend; null for none
 */
public record EmbedOptions(
        boolean normalize,
        boolean truncate,
        TruncationDirection direction,
        Integer dimensions,
        String promptName) {

    public EmbedOptions {
        direction = direction == null ? TruncationDirection.RIGHT : direction;
    }

    /** TEI's defaults: normalised, truncated on the right. */
    public static EmbedOptions defaults() {
        return new EmbedOptions(true, true, TruncationDirection.RIGHT, null, null);
    }
}
