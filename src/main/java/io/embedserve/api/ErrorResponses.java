package io.embedserve.api;

import io.embedserve.error.ErrorKind;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.HttpStatusCode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Documents the errors of every route from the one error table: each kind's status from {@link
 * ErrorStatus}, its body from the route's {@link ApiDialect}, written by the application's own JSON
 * mapper, so the description shows what the service sends. Each example is named after its kind
 * (e.g. {@code payloadTooLarge}); a request example with the same name expects that status.
 */
final class ErrorResponses implements OpenApiCustomizer {

    /** Routes that only read state fail only while the model is not there, or without an API key. */
    private static final Set<ErrorKind> READ_ONLY_KINDS =
            EnumSet.of(ErrorKind.UNHEALTHY, ErrorKind.MODEL, ErrorKind.UNAUTHORIZED);
    /**
     * Nobody receives CLIENT_GONE: the client has left before it is written. NOT_FOUND answers paths
     * that are not routes, so no documented route returns it.
     */
    private static final Set<ErrorKind> REQUEST_KINDS =
            EnumSet.complementOf(EnumSet.of(ErrorKind.CLIENT_GONE, ErrorKind.NOT_FOUND));

    private final JsonMapper json;

    ErrorResponses(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        ModelConverters converters = ModelConverters.getInstance(true);
        converters.readAll(TeiErrorBody.class).forEach(openApi.getComponents()::addSchemas);
        converters.readAll(OpenAiErrorBody.class).forEach(openApi.getComponents()::addSchemas);
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach(
                (method, operation) -> document(ApiDialect.ofPath(path), path, method, operation)));
    }

    private void document(ApiDialect dialect, String path, PathItem.HttpMethod method, Operation operation) {
        Set<ErrorKind> kinds = method == PathItem.HttpMethod.GET ? READ_ONLY_KINDS : REQUEST_KINDS;
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        for (ErrorKind kind : kinds) {
            if (kind == ErrorKind.UNAUTHORIZED && OpenRoutes.isOpen(method.name(), path)) {
                continue;
            }
            HttpStatusCode status = ErrorStatus.of(kind);
            ApiResponse response = operation.getResponses().computeIfAbsent(Integer.toString(status.value()),
                    code -> new ApiResponse().description("").content(new Content().addMediaType(
                            org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                            new MediaType().schema(new Schema<>().$ref(schemaName(dialect))))));
            ErrorSample sample = ErrorSample.of(kind, dialect == ApiDialect.OPENAI ? "input" : "inputs");
            response.description(join(response.getDescription(), sample.when()));
            response.getContent().get(org.springframework.http.MediaType.APPLICATION_JSON_VALUE).addExamples(
                    exampleName(kind),
                    new Example().summary(sample.when()).value(json.convertValue(dialect.body(kind, sample.message()),
                            Map.class)));
        }
    }

    private static String schemaName(ApiDialect dialect) {
        return dialect == ApiDialect.OPENAI ? OpenAiErrorBody.SCHEMA : TeiErrorBody.SCHEMA;
    }

    /** PAYLOAD_TOO_LARGE becomes payloadTooLarge, the name request examples use too. */
    static String exampleName(ErrorKind kind) {
        StringBuilder name = new StringBuilder();
        for (String word : kind.name().toLowerCase(java.util.Locale.ROOT).split("_")) {
            name.append(name.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return name.toString();
    }

    /** When a kind happens and a message like the service's, for the description's examples. */
    private record ErrorSample(String when, String message) {

        /** No default: a new kind does not compile until its errors are documented too. */
        static ErrorSample of(ErrorKind kind, String inputs) {
            return switch (kind) {
                case EMPTY -> new ErrorSample("Empty: nothing to embed, or the body is not JSON.",
                        "`" + inputs + "` cannot be empty");
                case VALIDATION -> new ErrorSample("Validation: the request breaks a rule (types, batch size,"
                        + " input too long with truncation off, dimensions, prompt name).",
                        "batch size 40 > maximum allowed batch size 32 (MAX_CLIENT_BATCH_SIZE; or set AUTO_SPLIT=true"
                                + " to let the server split it)");
                case TOKENIZER -> new ErrorSample("Tokenizer: the tokenizer refused the input.",
                        "The tokenizer refused the input: token id 999999 is not in the vocabulary");
                case PAYLOAD_TOO_LARGE -> new ErrorSample("Payload too large: the body is over PAYLOAD_LIMIT.",
                        "Request body of more than 2000000 bytes is over the payload limit of 2000000 bytes"
                                + " (PAYLOAD_LIMIT)");
                case OVERLOADED -> new ErrorSample("Overloaded: too many inputs in flight; retry later.",
                        "Model is overloaded: more than 512 inputs in flight (max-concurrent-requests). Retry later.");
                case BACKEND -> new ErrorSample("Backend: the model failed while computing; the cause is in the"
                        + " service's log under the request id (also in the x-request-id header).",
                        "Inference failed; the service logged the cause under request id 3f1c2a9e-....");
                case UNHEALTHY -> new ErrorSample("Unhealthy: the model is still loading, or the service is"
                        + " shutting down.", "Model is not ready yet: it is still loading.");
                case MODEL -> new ErrorSample("Unhealthy: the model could not be loaded.",
                        "Inference failed; the service logged the cause under request id 3f1c2a9e-....");
                case UNAUTHORIZED -> new ErrorSample("Unauthorized: API keys are configured (API_KEY, API_KEYS_FILE)"
                        + " and the request carries none, or another; the answer has WWW-Authenticate: Bearer.",
                        "Missing API key: send it as \"Authorization: Bearer <key>\".");
                case TIMEOUT -> new ErrorSample("Timeout: the request waited longer than REQUEST_TIMEOUT for the"
                        + " model; retry after the Retry-After header's seconds.",
                        "No answer within 60000 ms (REQUEST_TIMEOUT): the model is too busy or stuck. Retry later.");
                case SLOW_CLIENT -> new ErrorSample("Request timeout: the body arrived more slowly than"
                        + " EMBEDSERVE_REQUEST_BODY_MIN_RATE allows; the connection is closed.",
                        "The request body arrived at 3 bytes/s after 5 s, under the minimum of 16384 bytes/s"
                                + " (EMBEDSERVE_REQUEST_BODY_MIN_RATE)");
                case WRONG_MODEL_TYPE -> new ErrorSample("Wrong model type: the route needs another kind of model"
                        + " than the service runs (/rerank and /predict a cross-encoder, /embed an embedding model).",
                        "model is not a re-ranker model");
                case CLIENT_GONE -> new ErrorSample("The client closed the connection; nobody reads this.",
                        "client closed request");
                case NOT_FOUND -> new ErrorSample("Not found: the path is not a route.",
                        "Not found: POST /embedding is not a route of this service.");
            };
        }
    }

    private static String join(String description, String sentence) {
        return description == null || description.isEmpty() ? sentence : description + " " + sentence;
    }
}
