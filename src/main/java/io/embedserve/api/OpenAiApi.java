package io.embedserve.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI description of {@link OpenAiController}; the example naming rule is {@link TeiApi}'s.
 * Errors on this route and its /embeddings alias use OpenAI's nested shape ({@link ErrorResponses} picks it
 * by the path, {@link ApiDialect#ofPath}).
 */
@Tag(name = "OpenAI", description = "OpenAI's embeddings API")
interface OpenAiApi {

    /** The request body as OpenAI documents it, cut to the fields this service reads. */
    @Schema(name = "OpenAiEmbeddingsRequest")
    record EmbeddingsRequest(
            @Schema(implementation = TeiRequests.Input.class, requiredMode = RequiredMode.REQUIRED) Object input,
            @Schema(description = "Echoed back in the response; the service has one model, so any name is"
                    + " accepted.") String model,
            @JsonProperty("encoding_format")
            @Schema(description = "float (default): lists of numbers; base64: little-endian float32 bytes.",
                    allowableValues = {"float", "base64"}, defaultValue = "float") String encodingFormat,
            @Schema(description = "Keep the first N components, then normalise.", minimum = "1") Integer dimensions,
            @Schema(description = "An identifier of the caller's end user, as OpenAI takes it; must be a string,"
                    + " otherwise not used.") String user) {}

    @Operation(summary = "Create embeddings", description = "Unit-length vectors, truncated at the model's"
            + " max_seq_length, with 0-based indices and the number of tokens used.",
            requestBody = @RequestBody(required = true, content = @Content(
                    schema = @Schema(implementation = EmbeddingsRequest.class),
                    examples = {
                        @ExampleObject(name = "text", summary = "One text",
                                value = "{\"input\": \"The food was delicious.\", \"model\": \"embedserve\"}"),
                        @ExampleObject(name = "base64", summary = "Several texts, base64, shortened",
                                value = "{\"input\": [\"The cat sleeps.\", \"Die Katze schläft.\"], \"model\":"
                                        + " \"embedserve\", \"encoding_format\": \"base64\", \"dimensions\": 256}"),
                        @ExampleObject(name = "empty", summary = "400: an empty list",
                                value = "{\"input\": [], \"model\": \"embedserve\"}"),
                        @ExampleObject(name = "validation", summary = "422: an unknown encoding format",
                                value = "{\"input\": \"Hello\", \"encoding_format\": \"int8\"}")})),
            responses = @ApiResponse(responseCode = "200", description = "The embeddings, in input order"))
    ResponseEntity<OpenAiEmbeddingsResponse> embeddings(JsonNode body);
}
