package io.embedserve.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.embedserve.inference.Scores;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * TEI's answers to /rerank and /predict (its {@code Rank} and {@code Prediction}), each list best
 * first as TEI orders it: sorted by score ascending, stably, then reversed, so that of two equal
 * scores the later input comes first.
 */
final class TeiScores {

    private TeiScores() {}

    /** One text's place in a rerank answer. */
    @Schema(name = "Rank")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Rank(
            @Schema(description = "The text's index in the request's texts") int index,
            @Schema(description = "The text itself, only with \"return_text\": true") String text,
            @Schema(description = "sigmoid of the model's logit, or the logit with \"raw_scores\": true")
            float score) {}

    /** One label's score in a predict answer. */
    @Schema(name = "Prediction")
    record Prediction(
            @Schema(description = "softmax over the labels (sigmoid for a model with one), or the logit with"
                    + " \"raw_scores\": true") float score,
            @Schema(description = "The label's name (config.json's id2label)") String label) {}

    static List<Rank> ranks(List<String> texts, Scores scores, boolean returnText) {
        List<Rank> ranks = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            ranks.add(new Rank(i, returnText ? texts.get(i) : null, scores.scores().get(i)[0]));
        }
        return bestFirst(ranks, Comparator.comparingDouble(Rank::score));
    }

    /** The labels of one input's row, best first. */
    static List<Prediction> predictions(float[] row, List<String> labels) {
        List<Prediction> predictions = new ArrayList<>(row.length);
        for (int label = 0; label < row.length; label++) {
            predictions.add(new Prediction(row[label], labels.get(label)));
        }
        return bestFirst(predictions, Comparator.comparingDouble(Prediction::score));
    }

    private static <T> List<T> bestFirst(List<T> items, Comparator<T> byScore) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(byScore);
        Collections.reverse(sorted);
        return sorted;
    }
}
