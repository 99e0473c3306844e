package io.embedserve.api;

import io.embedserve.error.ValidationException;
import io.embedserve.inference.CrossEncoderInput;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The cross-encoder routes' input shapes, TEI's: /rerank's {@code texts} and /predict's
 * {@code inputs}. Unlike an embedding input, one side of a pair may be an empty string (TEI refuses a
 * pair only when both sides are empty, which the model's rules check); an empty list is a 400, every
 * other wrong shape a 422 that names the field and the index, as {@link InputsParser} answers.
 */
final class CrossEncoderInputs {

    private static final String PREDICT_SHAPES = "a string, a pair of strings [string, string] or a batch of"
            + " strings and pairs [[string], [string, string], ...]";

    /** What /predict's inputs held, and whether they came as a batch. */
    record PredictInputs(List<CrossEncoderInput> inputs, boolean batch) {}

    private CrossEncoderInputs() {}

    /** TEI's /rerank {@code texts}: a non-empty list of strings, each of which may be empty. */
    static List<String> strings(JsonNode value, String field) {
        InputsParser.requirePresent(value, field);
        if (!value.isArray()) {
            throw InputsParser.wrongType(field, "a list of strings", value);
        }
        InputsParser.requireNonEmpty(value, field);
        List<String> strings = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            strings.add(InputsParser.string(value.get(i), field + "[" + i + "]"));
        }
        return strings;
    }

    /**
     * TEI's /predict {@code inputs}: {@code "text"} or {@code ["text"]} (one text), {@code ["a", "b"]}
     * (one pair), or a batch of those as lists, {@code [["a", "b"], ["c"]]}. Whether it was a batch
     * decides the answer's shape.
     */
    static PredictInputs predictInputs(JsonNode value, String field) {
        InputsParser.requirePresent(value, field);
        if (value.isString()) {
            return new PredictInputs(List.of(new CrossEncoderInput.Text(InputsParser.string(value, field))), false);
        }
        if (!value.isArray()) {
            throw InputsParser.wrongType(field, PREDICT_SHAPES, value);
        }
        InputsParser.requireNonEmpty(value, field);
        if (!value.get(0).isArray()) {
            return new PredictInputs(List.of(sequence(value, field)), false);
        }
        List<CrossEncoderInput> batch = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String name = field + "[" + i + "]";
            if (!item.isArray()) {
                throw InputsParser.wrongType(name, "a list of one or two strings", item);
            }
            InputsParser.requireNonEmpty(item, name);
            batch.add(sequence(item, name));
        }
        return new PredictInputs(batch, true);
    }

    /** {@code ["text"]} or {@code ["first", "second"]}. */
    private static CrossEncoderInput sequence(JsonNode array, String field) {
        if (array.size() > 2) {
            throw new ValidationException("`" + field + "` must be " + PREDICT_SHAPES + ", got a list of "
                    + array.size() + " items");
        }
        String first = InputsParser.string(array.get(0), field + "[0]");
        if (array.size() == 1) {
            return new CrossEncoderInput.Text(first);
        }
        return new CrossEncoderInput.Pair(first, InputsParser.string(array.get(1), field + "[1]"));
    }
}
