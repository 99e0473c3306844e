package io.embedserve.api;

import io.embedserve.error.ErrorKind;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatusCode;

/**
 * Which API a request speaks, and so which error document it gets back. The status never depends
 * on the dialect ({@link ErrorStatus}); only the shape of the body does.
 */
enum ApiDialect {
    TEI {
        @Override
        Object body(ErrorKind kind, String message) {
            return TeiErrorBody.of(kind, message);
        }

        @Override
        Object bodyForStatus(HttpStatusCode status, String message) {
            return TeiErrorBody.of(ErrorStatus.kindOf(status), message);
        }
    },
    OPENAI {
        @Override
        Object body(ErrorKind kind, String message) {
            return OpenAiErrorBody.of(kind, message);
        }

        @Override
        Object bodyForStatus(HttpStatusCode status, String message) {
            return OpenAiErrorBody.forStatus(status, message);
        }
    };

    static final String OPENAI_PREFIX = "/v1/";
    /** TEI serves its OpenAI route at /embeddings too, for clients whose base URL has no /v1. */
    static final String OPENAI_ALIAS = "/embeddings";

    /** By path, so that errors raised before a controller is chosen (404, 405) get the right shape. */
    static ApiDialect of(HttpServletRequest request) {
        return ofPath(pathOf(request));
    }

    /** The same rule for a route's path, as the OpenAPI description needs it. */
    static ApiDialect ofPath(String path) {
        return path.startsWith(OPENAI_PREFIX) || path.equals(OPENAI_ALIAS) ? OPENAI : TEI;
    }

    /** The request's path within the application (without a context path), as routes name it. */
    static String pathOf(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    /** The body for one of the service's own failures. */
    abstract Object body(ErrorKind kind, String message);

    /** The body for a failure that only has an HTTP status: Spring's own errors and bugs. */
    abstract Object bodyForStatus(HttpStatusCode status, String message);
}
