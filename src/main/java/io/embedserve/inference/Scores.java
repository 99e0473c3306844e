package io.embedserve.inference;

import java.util.List;

/**
 * A cross-encoder's scores for a request's inputs, in input order, and what they cost.
 *
 * @param scores one row per input with one value per label: sigmoid (one label) or softmax (several)
 *     of the logits, or the logits themselves when raw scores were asked for
 * @param labels the label names by index (config.json's id2label)
 * @param promptTokens tokens of all inputs, special tokens included
 * @param timings where the time went, for TEI's x-*-time headers and the metrics
 */
public record Scores(List<float[]> scores, List<String> labels, int promptTokens, Embeddings.Timings timings) {

    public Scores {
        scores = List.copyOf(scores);
        labels = List.copyOf(labels);
        timings = timings == null ? Embeddings.Timings.NONE : timings;
    }
}
