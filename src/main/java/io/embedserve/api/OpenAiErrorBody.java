package io.embedserve.api;

import io.embedserve.error.ErrorKind;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.http.HttpStatusCode;

/**
 * OpenAI's error document: {@code {"error": {"message", "type", "param", "code"}}}. OpenAI's SDKs
 * pick the exception class from the HTTP status, so the status table stays {@link ErrorStatus};
 * this only chooses the words OpenAI uses for {@code type}.
 */
@Schema(name = OpenAiErrorBody.SCHEMA, description = "OpenAI's error document")
record OpenAiErrorBody(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Detail error) {

    static final String SCHEMA = "OpenAiError";

    @Schema(name = "OpenAiErrorDetail")
    record Detail(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String message,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "OpenAI's error class") String type,
            @Schema(description = "Always null here") String param,
            @Schema(description = "A machine-readable reason, null for errors from HTTP itself") String code) {}

    private static final String INVALID_REQUEST = "invalid_request_error";
    private static final String SERVER_ERROR = "server_error";

    static OpenAiErrorBody of(ErrorKind kind, String message) {
        return switch (kind) {
            case EMPTY -> body(message, INVALID_REQUEST, "empty_input");
            case NOT_FOUND -> body(message, INVALID_REQUEST, "unknown_url");
            case VALIDATION -> body(message, INVALID_REQUEST, "invalid_value");
            case TOKENIZER -> body(message, INVALID_REQUEST, "tokenizer_error");
            case PAYLOAD_TOO_LARGE -> body(message, INVALID_REQUEST, "payload_too_large");
            case OVERLOADED -> body(message, "rate_limit_error", "server_is_overloaded");
            case BACKEND -> body(message, SERVER_ERROR, "inference_failed");
            case UNHEALTHY, MODEL -> body(message, "service_unavailable_error", "model_not_ready");
            case CLIENT_GONE -> body(message, INVALID_REQUEST, "client_closed_request");
            // OpenAI's own answer to a bad key; its SDKs raise AuthenticationError on the 401.
            case UNAUTHORIZED -> body(message, INVALID_REQUEST, "invalid_api_key");
            case TIMEOUT -> body(message, "service_unavailable_error", "request_timeout");
            case SLOW_CLIENT -> body(message, INVALID_REQUEST, "request_body_too_slow");
            // /v1/embeddings on a service whose only model is a cross-encoder: OpenAI's word for a
            // model that cannot do what the route asks.
            case WRONG_MODEL_TYPE -> body(message, INVALID_REQUEST, "model_not_supported");
        };
    }

    /** For failures that come from HTTP itself (wrong method, media type, path) or from a bug. */
    static OpenAiErrorBody forStatus(HttpStatusCode status, String message) {
        return body(message, status.is5xxServerError() ? SERVER_ERROR : INVALID_REQUEST, null);
    }

    private static OpenAiErrorBody body(String message, String type, String code) {
        return new OpenAiErrorBody(new Detail(message, type, null, code));
    }
}
