package io.embedserve.api;

import io.embedserve.error.EmptyInputException;
import io.embedserve.error.NotReadyException;
import io.embedserve.error.WrongModelTypeException;
import io.embedserve.inference.CrossEncoderInfo;
import io.embedserve.inference.CrossEncoderInput;
import io.embedserve.inference.CrossEncoderService;
import io.embedserve.inference.ScoreOptions;
import io.embedserve.inference.Scores;
import java.util.ArrayList;
import java.util.List;

/**
 * A cross-encoder whose answers can be worked out by hand. A rerank's raw score is the number of
 * words the text shares with the query; activated, a tenth of that. /predict's labels are "short"
 * and "long": the raw row of an input is [10 - words, words] (a pair's words counted together), the
 * activated one the same divided by 10.
 */
class FakeCrossEncoderService implements CrossEncoderService {

    static final CrossEncoderInfo INFO = new CrossEncoderInfo("test-org/test-reranker",
            "fedcba9876543210fedcba9876543210fedcba98", "bert", "BertForSequenceClassification", "float32", List.of("short", "long"), 16, List.of());

    volatile boolean ready = true;
    volatile boolean served = true;
    volatile List<CrossEncoderInput> lastInputs;
    volatile ScoreOptions lastOptions;

    void reset() {
        ready = true;
        served = true;
        lastInputs = null;
        lastOptions = null;
    }

    @Override
    public Scores rerank(String query, List<String> texts, ScoreOptions options) {
        require("model is not a re-ranker model");
        if (texts.isEmpty()) {
            throw new EmptyInputException("`texts` cannot be empty");
        }
        lastOptions = options;
        List<String> queryWords = List.of(query.split(" "));
        List<float[]> scores = new ArrayList<>();
        for (String text : texts) {
            long shared = List.of(text.split(" ")).stream().filter(queryWords::contains).count();
            scores.add(new float[] {options.rawScores() ? shared : shared / 10f});
        }
        return new Scores(scores, List.of("LABEL_0"), texts.size(), null);
    }

    @Override
    public Scores predict(List<CrossEncoderInput> inputs, ScoreOptions options) {
        require("Model is not a classifier model");
        lastInputs = inputs;
        lastOptions = options;
        List<float[]> scores = new ArrayList<>();
        for (CrossEncoderInput input : inputs) {
            String text = input instanceof CrossEncoderInput.Pair pair ? pair.first() + " " + pair.second()
                    : ((CrossEncoderInput.Text) input).text();
            float words = text.split(" ").length;
            float scale = options.rawScores() ? 1 : 10;
            scores.add(new float[] {(10 - words) / scale, words / scale});
        }
        return new Scores(scores, INFO.labels(), inputs.size(), null);
    }

    @Override
    public CrossEncoderInfo info() {
        require("Model is not a classifier model");
        return INFO;
    }

    @Override
    public boolean isReady() {
        return ready || !served;
    }

    @Override
    public boolean served() {
        return served;
    }

    private void require(String absent) {
        if (!served) {
            throw new WrongModelTypeException(absent);
        }
        if (!ready) {
            throw new NotReadyException("The cross-encoder is not ready yet: it is still loading.");
        }
    }
}
