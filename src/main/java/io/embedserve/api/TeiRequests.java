package io.embedserve.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.util.List;

/**
 * The request bodies of the TEI routes, as the OpenAPI description shows them (TEI's own names,
 * router/src/http/types.rs). The controllers read the JSON themselves ({@link RequestValidator}),
 * strictly and with TEI's messages, so these types only describe it; OpenApiDescriptionTest sends
 * every field described here with a wrong type and expects the 422 that names it, so a field
 * described but not read fails the build.
 */
final class TeiRequests {

    private TeiRequests() {}

    static final String DIRECTION = "Which end of an over-long input is cut: right (the default) or left.";
    static final String TRUNCATE = "Cut inputs longer than the model's max_seq_length (default true); false makes"
            + " an over-long input a 422.";
    static final String PROMPT_NAME = "A prompt the model defines in config_sentence_transformers.json; its text"
            + " is put before each input.";

    /** One input: a text, or the token ids of one text. */
    @Schema(name = "InputItem", oneOf = {String.class, long[].class},
            description = "A text, or the token ids of one text (integers from 0 to 4294967295).")
    interface InputItem {}

    /** TEI's {@code Input}: one input or a list of them. */
    @Schema(name = "Input", oneOf = {InputItem.class, InputItem[].class},
            description = "A text, a list of texts, one list of token ids, or a list mixing texts and lists of"
                    + " token ids. At most max_client_batch_size inputs (GET /info).")
    interface Input {}

    @Schema(name = "EmbedRequest")
    record Embed(
            @Schema(implementation = Input.class, requiredMode = RequiredMode.REQUIRED) Object inputs,
            @Schema(description = "L2-normalise each vector (default true). false returns the raw pooled vector,"
                    + " as TEI does.", defaultValue = "true") Boolean normalize,
            @Schema(description = TRUNCATE, defaultValue = "true") Boolean truncate,
            @JsonProperty("truncation_direction")
            @Schema(description = DIRECTION, allowableValues = {"right", "left"}, defaultValue = "right")
            String truncationDirection,
            @Schema(description = "Keep the first N components, then normalise (Matryoshka). From 1 to the"
                    + " model's hidden size.", minimum = "1") Integer dimensions,
            @JsonProperty("prompt_name") @Schema(description = PROMPT_NAME) String promptName) {}

    @Schema(name = "SimilarityRequest")
    record Similarity(
            @Schema(requiredMode = RequiredMode.REQUIRED) SimilarityInput inputs,
            SimilarityParameters parameters) {}

    @Schema(name = "SimilarityInput",
            description = "The source sentence and the sentences to compare it with; together at most"
                    + " max_client_batch_size texts.")
    record SimilarityInput(
            @JsonProperty("source_sentence") @Schema(requiredMode = RequiredMode.REQUIRED, minLength = 1)
            String sourceSentence,
            @ArraySchema(minItems = 1, schema = @Schema(minLength = 1), arraySchema = @Schema(
                    requiredMode = RequiredMode.REQUIRED)) List<String> sentences) {}

    @Schema(name = "SimilarityParameters")
    record SimilarityParameters(
            @Schema(description = TRUNCATE, defaultValue = "true") Boolean truncate,
            @JsonProperty("truncation_direction")
            @Schema(description = DIRECTION, allowableValues = {"right", "left"}, defaultValue = "right")
            String truncationDirection,
            @JsonProperty("prompt_name") @Schema(description = PROMPT_NAME) String promptName) {}

    @Schema(name = "TokenizeRequest")
    record Tokenize(
            @Schema(description = "A text or a list of texts.", oneOf = {String.class, String[].class},
                    requiredMode = RequiredMode.REQUIRED) Object inputs,
            @JsonProperty("add_special_tokens")
            @Schema(description = "Add the model's special tokens ([CLS], [SEP], <s>, ...); default true.",
                    defaultValue = "true") Boolean addSpecialTokens,
            @JsonProperty("prompt_name") @Schema(description = PROMPT_NAME) String promptName) {}

    @Schema(name = "DecodeRequest")
    record Decode(
            @Schema(description = "One list of token ids, or a list of them.", oneOf = {long[].class, long[][].class},
                    requiredMode = RequiredMode.REQUIRED) Object ids,
            @JsonProperty("skip_special_tokens")
            @Schema(description = "Leave the special tokens out of the text; default true.", defaultValue = "true")
            Boolean skipSpecialTokens) {}

    static final String RAW_SCORES = "Return the model's logits as they are instead of sigmoid (one label) or softmax"
            + " (several); default false.";
    static final String PAIR_TRUNCATE = "Cut a pair longer than the model's max length, longest text first, as"
            + " sentence-transformers' CrossEncoder does (default true); false makes an over-long pair a 422.";

    @Schema(name = "RerankRequest")
    record Rerank(
            @Schema(description = "The query each text is scored against; may be empty.",
                    requiredMode = RequiredMode.REQUIRED) String query,
            @ArraySchema(minItems = 1, arraySchema = @Schema(requiredMode = RequiredMode.REQUIRED,
                    description = "The texts to rank; at most max_client_batch_size (GET /info).")) List<String> texts,
            @JsonProperty("raw_scores") @Schema(description = RAW_SCORES, defaultValue = "false") Boolean rawScores,
            @JsonProperty("return_text") @Schema(description = "Put each text in its answer item; default false.",
                    defaultValue = "false") Boolean returnText,
            @Schema(description = PAIR_TRUNCATE, defaultValue = "true") Boolean truncate,
            @JsonProperty("truncation_direction")
            @Schema(description = DIRECTION, allowableValues = {"right", "left"}, defaultValue = "right")
            String truncationDirection) {}

    /** TEI's {@code PredictInput}: a text, a pair, or a batch of texts and pairs. */
    @Schema(name = "PredictInput", oneOf = {String.class, String[].class, String[][].class},
            description = "A text, a pair of texts [first, second], or a batch of texts and pairs as lists"
                    + " [[text], [first, second], ...]; at most max_client_batch_size in a batch.")
    interface PredictInput {}

    @Schema(name = "PredictRequest")
    record Predict(
            @Schema(implementation = PredictInput.class, requiredMode = RequiredMode.REQUIRED) Object inputs,
            @JsonProperty("raw_scores") @Schema(description = RAW_SCORES, defaultValue = "false") Boolean rawScores,
            @Schema(description = PAIR_TRUNCATE, defaultValue = "true") Boolean truncate,
            @JsonProperty("truncation_direction")
            @Schema(description = DIRECTION, allowableValues = {"right", "left"}, defaultValue = "right")
            String truncationDirection) {}
}
