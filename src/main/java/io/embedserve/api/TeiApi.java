package io.embedserve.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI description of {@link TeiController}, kept here so that the controller reads as the
 * translation it is. Paths and response types come from the controller; the error responses of
 * every route come from the error table ({@link ErrorResponses}).
 *
 * <p>Request examples follow one rule that OpenApiDescriptionTest checks against the running
 * service: an example named like an error example of one response (e.g. {@code validation})
 * gets that response's status; every other example gets the 200.
 */
@Tag(name = "TEI", description = "Hugging Face text-embeddings-inference routes")
interface TeiApi {

    @Operation(summary = "Embed inputs", description = "One vector per input, in order. The response carries"
            + " TEI's x-compute-* timing headers.",
            requestBody = @RequestBody(required = true, content = @Content(
                    schema = @Schema(implementation = TeiRequests.Embed.class),
                    examples = {
                        @ExampleObject(name = "text", summary = "One text",
                                value = "{\"inputs\": \"What is Deep Learning?\"}"),
                        @ExampleObject(name = "batch", summary = "Several texts, with every option",
                                value = "{\"inputs\": [\"The cat sleeps.\", \"Die Katze schläft.\"], \"normalize\": true,"
                                        + " \"truncate\": true, \"truncation_direction\": \"right\", \"dimensions\": 256}"),
                        @ExampleObject(name = "tokenIds", summary = "Token ids instead of text",
                                value = "{\"inputs\": [[101, 7592, 2088, 102]]}"),
                        @ExampleObject(name = "empty", summary = "400: an empty text", value = "{\"inputs\": \"\"}"),
                        @ExampleObject(name = "validation", summary = "422: an unknown truncation direction",
                                value = "{\"inputs\": \"Hello\", \"truncation_direction\": \"middle\"}")})),
            responses = @ApiResponse(responseCode = "200", description = "One vector per input"))
    ResponseEntity<List<float[]>> embed(JsonNode body);

    @Operation(summary = "TEI's predict route", description = "What the model is for, at the base URL (Hugging"
            + " Face's clients post there) and at /invocations (SageMaker): /embed for an embedding model, as in"
            + " the examples; /rerank for a cross-encoder with one label and /predict for a classifier, when that"
            + " is the only model. The body and the answer are that route's.",
            requestBody = @RequestBody(required = true, content = @Content(
                    schema = @Schema(implementation = TeiRequests.Embed.class),
                    examples = {
                        @ExampleObject(name = "text", summary = "One text (an embedding model)",
                                value = "{\"inputs\": \"What is Deep Learning?\"}"),
                        @ExampleObject(name = "empty", summary = "400: an empty text", value = "{\"inputs\": \"\"}")})),
            responses = @ApiResponse(responseCode = "200", description = "The answer of /embed, /rerank or /predict"))
    ResponseEntity<?> predictRoute(JsonNode body);

    @Operation(summary = "Compare a sentence with others",
            description = "The cosine similarity of the source sentence with each sentence, in order.",
            requestBody = @RequestBody(required = true, content = @Content(
                    schema = @Schema(implementation = TeiRequests.Similarity.class),
                    examples = {
                        @ExampleObject(name = "sentences", summary = "One sentence against three",
                                value = "{\"inputs\": {\"source_sentence\": \"The cat sleeps on the sofa.\","
                                        + " \"sentences\": [\"A cat is napping on the couch.\", \"Die Katze schläft.\","
                                        + " \"Stock markets fell sharply today.\"]}}"),
                        @ExampleObject(name = "empty", summary = "400: nothing to compare with",
                                value = "{\"inputs\": {\"source_sentence\": \"The cat sleeps.\", \"sentences\": []}}")})),
            responses = @ApiResponse(responseCode = "200", description = "One cosine similarity per sentence",
                    content = @Content(examples = @ExampleObject(name = "sentences", value = "[0.83, 0.41, 0.02]"))))
    ResponseEntity<List<Float>> similarity(JsonNode body);

    @Operation(summary = "Tokenize texts", description = "The tokens of each text with their ids and the"
            + " character offsets they cover (null for added special tokens).",
            requestBody = @RequestBody(required = true, content = @Content(
                    schema = @Schema(implementation = TeiRequests.Tokenize.class),
                    examples = {
                        @ExampleObject(name = "text", summary = "One text",
                                value = "{\"inputs\": \"The cat sleeps.\", \"add_special_tokens\": true}"),
                        @ExampleObject(name = "empty", summary = "400: an empty list", value = "{\"inputs\": []}")})),
            responses = @ApiResponse(responseCode = "200", description = "One list of tokens per text"))
    List<List<TeiToken>> tokenize(JsonNode body);

    @Operation(summary = "Decode token ids", description = "The text of each list of token ids.",
            requestBody = @RequestBody(required = true, content = @Content(
                    schema = @Schema(implementation = TeiRequests.Decode.class),
                    examples = {
                        @ExampleObject(name = "ids", summary = "One list of ids",
                                value = "{\"ids\": [101, 7592, 2088, 102], \"skip_special_tokens\": true}"),
                        @ExampleObject(name = "validation", summary = "422: a negative id", value = "{\"ids\": [-1]}")})),
            responses = @ApiResponse(responseCode = "200", description = "One text per list of ids"))
    List<String> decode(JsonNode body);

    @Operation(summary = "Rerank texts against a query", description = "The cross-encoder's score of each (query,"
            + " text) pair, best first, each with its index in texts. Served when the service runs a one-label"
            + " cross-encoder (RERANK_MODEL_ID beside the embedding model, or MODEL_ID alone); otherwise a 424."
            + " The response carries TEI's x-compute-* timing headers.",
            requestBody = @RequestBody(required = true, content = @Content(
                    schema = @Schema(implementation = TeiRequests.Rerank.class),
                    examples = {
                        @ExampleObject(name = "texts", summary = "Three texts, best first",
                                value = "{\"query\": \"What is a cat?\", \"texts\": [\"The cat sat on the mat.\","
                                        + " \"Stock markets fell sharply today.\", \"A cat is a small animal.\"]}"),
                        @ExampleObject(name = "options", summary = "Every option",
                                value = "{\"query\": \"What is a cat?\", \"texts\": [\"The cat sat on the mat.\"],"
                                        + " \"raw_scores\": true, \"return_text\": true, \"truncate\": true,"
                                        + " \"truncation_direction\": \"left\"}"),
                        @ExampleObject(name = "empty", summary = "400: no texts",
                                value = "{\"query\": \"What is a cat?\", \"texts\": []}"),
                        @ExampleObject(name = "validation", summary = "422: texts is not a list",
                                value = "{\"query\": \"What is a cat?\", \"texts\": \"The cat sat.\"}")})),
            responses = @ApiResponse(responseCode = "200", description = "One rank per text, best first",
                    content = @Content(examples = @ExampleObject(name = "texts", value = "[{\"index\": 2, \"score\":"
                            + " 0.97}, {\"index\": 0, \"score\": 0.61}, {\"index\": 1, \"score\": 0.002}]"))))
    ResponseEntity<List<TeiScores.Rank>> rerank(JsonNode body);

    @Operation(summary = "Classify texts or pairs", description = "Every label's score for a text or a pair of"
            + " texts, best first (config.json's id2label names them); a batch gets one such list per input, in"
            + " order. Served when the service runs a cross-encoder; otherwise a 424.",
            requestBody = @RequestBody(required = true, content = @Content(
                    schema = @Schema(implementation = TeiRequests.Predict.class),
                    examples = {
                        @ExampleObject(name = "text", summary = "One text", value = "{\"inputs\": \"I like you.\"}"),
                        @ExampleObject(name = "pair", summary = "One pair",
                                value = "{\"inputs\": [\"A man is eating.\", \"A person eats.\"]}"),
                        @ExampleObject(name = "batch", summary = "A batch of a text and a pair, raw logits",
                                value = "{\"inputs\": [[\"I like you.\"], [\"A man is eating.\", \"A person eats.\"]],"
                                        + " \"raw_scores\": true, \"truncate\": true, \"truncation_direction\":"
                                        + " \"right\"}"),
                        @ExampleObject(name = "empty", summary = "400: an empty list", value = "{\"inputs\": []}"),
                        @ExampleObject(name = "validation", summary = "422: three texts in one input",
                                value = "{\"inputs\": [\"a\", \"b\", \"c\"]}")})),
            responses = @ApiResponse(responseCode = "200", description = "The labels' scores, best first; a list of"
                    + " such lists for a batch",
                    content = @Content(schema = @Schema(oneOf = {TeiScores.Prediction[].class,
                            TeiScores.Prediction[][].class}))))
    ResponseEntity<Object> predict(JsonNode body);
}
