package io.embedserve.api;

import io.embedserve.error.EmbedServeException;
import io.embedserve.error.EmptyInputException;
import io.embedserve.error.ErrorKind;
import io.embedserve.error.PayloadTooLargeException;
import io.embedserve.error.RouteNotFoundException;
import io.embedserve.error.SlowClientException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.TokenStreamLocation;

/**
 * Every error any route returns goes through here: the service's own failures by their kind
 * ({@link ErrorStatus}), Spring's HTTP errors by the status Spring chose, anything else as a 500.
 * A failure of the model (424) or a bug (500) is answered with a generic text and the request's id
 * ({@link RequestIdFilter}, also in the x-request-id header of every answer); the cause, which may
 * carry PyTorch's own text, goes only to the log under that id. Client-supplied text is logged with
 * CR and LF escaped.
 */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    /** Jackson quotes the offending input; a 2 MB string must not come back in the error. */
    private static final int MAX_DETAIL_CHARS = 300;
    /**
     * Seconds a client should wait after a 503 for a request that timed out in the queue: long
     * enough for a backlog to drain a little, short next to REQUEST_TIMEOUT itself.
     */
    static final String RETRY_AFTER_SECONDS = "5";
    /**
     * Seconds a client should wait after a 429: admission refuses at once, and permits come back as
     * fast as batches finish (tens to hundreds of milliseconds), so one second is enough to find one.
     */
    static final String OVERLOADED_RETRY_AFTER_SECONDS = "1";

    @ExceptionHandler(EmbedServeException.class)
    ResponseEntity<Object> serviceError(EmbedServeException e, HttpServletRequest request) {
        HttpStatusCode status = ErrorStatus.of(e.kind());
        HttpHeaders headers = new HttpHeaders();
        String message = e.getMessage() == null ? e.kind().wireName() : e.getMessage();
        switch (e.kind()) {
            case BACKEND, MODEL -> {
                String id = RequestIdFilter.of(request);
                log.warn("{} {} failed [request id {}]: {}", request.getMethod(), LogSafe.of(request.getRequestURI()),
                        id, LogSafe.of(message), e.getCause());
                message = "Inference failed; the service logged the cause under request id " + id + ".";
            }
            case UNAUTHORIZED -> headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            case TIMEOUT -> headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            case OVERLOADED -> headers.set(HttpHeaders.RETRY_AFTER, OVERLOADED_RETRY_AFTER_SECONDS);
            default -> { }
        }
        if (e.kind() != ErrorKind.BACKEND && e.kind() != ErrorKind.MODEL) {
            // "Not ready" is what every probe sees during the load: not worth more than DEBUG.
            log.debug("{} {} rejected: {}", request.getMethod(), LogSafe.of(request.getRequestURI()), LogSafe.of(message));
        }
        request.setAttribute(RequestMetricsFilter.ERROR_KIND, e.kind());
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_JSON)
                .body(ApiDialect.of(request).body(e.kind(), message));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Object> unreadableBody(HttpMessageNotReadableException e, HttpServletRequest request) {
        // The body stream throws the service's own errors (payload limit, bytes in flight) from
        // inside the parser; they keep their kind.
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EmbedServeException thrownByTheBody) {
                return serviceError(thrownByTheBody, request);
            }
            if (t instanceof SlowClientException slow) {
                return serviceError(slow, request);
            }
        }
        return serviceError(new EmptyInputException(describe(e), e), request);
    }

    /** Spring's words name its static-resource handler ("No static resource ."); say what is wrong. */
    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<Object> unknownRoute(Exception e, HttpServletRequest request) {
        return serviceError(notARoute(request), request);
    }

    static RouteNotFoundException notARoute(HttpServletRequest request) {
        return new RouteNotFoundException("Not found: " + request.getMethod() + " " + ApiDialect.pathOf(request)
                + " is not a route of this service. Embeddings are at POST /embed (TEI; also POST / and POST"
                + " /invocations) and POST /v1/embeddings (OpenAI; also POST /embeddings).");
    }

    /** Spring says "Request method 'GET' is not supported"; name the method the route takes. */
    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> wrongMethod(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        HttpStatusCode status = e.getStatusCode();
        String allowed = e.getSupportedMethods() == null ? "another method" : String.join(" or ", e.getSupportedMethods());
        String message = request.getMethod() + " is not allowed on " + ApiDialect.pathOf(request) + "; use " + allowed + ".";
        return ResponseEntity.status(status).headers(e.getHeaders()).contentType(MediaType.APPLICATION_JSON)
                .body(ApiDialect.of(request).bodyForStatus(status, message));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> otherError(Exception e, HttpServletRequest request) {
        ApiDialect dialect = ApiDialect.of(request);
        if (e instanceof ErrorResponse spring) {
            HttpStatusCode status = spring.getStatusCode();
            String detail = spring.getBody().getDetail();
            Object body = dialect.bodyForStatus(status, detail == null ? e.getClass().getSimpleName() : detail);
            return ResponseEntity.status(status)
                    .headers(spring.getHeaders())
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(body);
        }
        String id = RequestIdFilter.of(request);
        log.error("{} {} failed unexpectedly [request id {}]", request.getMethod(), LogSafe.of(request.getRequestURI()),
                id, e);
        HttpStatus status = HttpStatus.INTERNAL_SERVER_ERROR;
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(dialect.bodyForStatus(status, "Internal server error; the service logged it under request id "
                        + id + "."));
    }

    /** Spring's own message names the controller method; say what was wrong with the body instead. */
    private static String describe(HttpMessageNotReadableException e) {
        if (e.getCause() instanceof StreamConstraintsException limit) {
            // Valid JSON past one of JsonReadLimits' bounds; Jackson's text names its own getter.
            return "Request body is over a JSON parsing limit: "
                    + limit.getOriginalMessage().replaceFirst(", from `StreamReadConstraints\\.[A-Za-z]+\\(\\)`", "");
        }
        if (e.getCause() instanceof JacksonException json) {
            // Drop Jackson's "(start marker at [Source: REDACTED ...])": it says nothing to a client.
            String message = json.getOriginalMessage().replaceFirst("\\s*\\(start marker at \\[Source:.*$", "");
            if (message.length() > MAX_DETAIL_CHARS) {
                message = message.substring(0, MAX_DETAIL_CHARS) + "...";
            }
            TokenStreamLocation at = json.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            return "Request body is not valid JSON: " + message + where;
        }
        if (e.getCause() == null) {
            return "Request body is missing; send a JSON object";
        }
        return "Request body could not be read";
    }
}
