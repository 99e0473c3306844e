package io.embedserve.api;

import io.embedserve.error.ErrorKind;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * The one table from error kind to HTTP status, for every API dialect. Statuses follow TEI since
 * v1.9 (router/src/http/server.rs, {@code impl From<&ErrorType> for StatusCode}) plus the kinds
 * TEI does not have. The switch has no default so that a new kind does not compile until it is
 * given a status here.
 */
final class ErrorStatus {

    private ErrorStatus() {}

    /** nginx's "client closed request": no standard status says it, and nobody receives it. */
    static final HttpStatusCode CLIENT_CLOSED_REQUEST = HttpStatusCode.valueOf(499);

    static HttpStatusCode of(ErrorKind kind) {
        return switch (kind) {
            case EMPTY -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case VALIDATION, TOKENIZER -> HttpStatus.UNPROCESSABLE_CONTENT;
            case PAYLOAD_TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case OVERLOADED -> HttpStatus.TOO_MANY_REQUESTS;
            case BACKEND, WRONG_MODEL_TYPE -> HttpStatus.FAILED_DEPENDENCY;
            case UNHEALTHY, MODEL, TIMEOUT -> HttpStatus.SERVICE_UNAVAILABLE;
            case CLIENT_GONE -> CLIENT_CLOSED_REQUEST;
            case UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
            case SLOW_CLIENT -> HttpStatus.REQUEST_TIMEOUT;
        };
    }

    /** The kind for an error that only has a status (Spring's 404/405/415, a bug's 500). */
    static ErrorKind kindOf(HttpStatusCode status) {
        if (status.value() == HttpStatus.NOT_FOUND.value()) {
            return ErrorKind.NOT_FOUND;
        }
        return status.is5xxServerError() ? ErrorKind.BACKEND : ErrorKind.VALIDATION;
    }

    /** The status's reason phrase ("Bad Request"), or "HTTP nnn" for a code without one. */
    static String reasonPhrase(int code) {
        HttpStatus known = HttpStatus.resolve(code);
        return known == null ? "HTTP " + code : known.getReasonPhrase();
    }
}
