package io.embedserve.api;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error path (server.error.path, /error), in place of Spring Boot's own: an
 * error raised outside the controllers (a filter's, or the container's own {@code sendError}) is
 * answered in the route's dialect like every other error, and a client that asks for the path itself
 * gets the same 404 as for any path that is not a route (Spring Boot's controller answered it 500).
 */
@Hidden // the container's path, not a route of the API
@RestController
class ServletErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<Object> error(HttpServletRequest request) {
        if (!(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code)) {
            throw ApiExceptionHandler.notARoute(request);
        }
        HttpStatusCode status = HttpStatusCode.valueOf(code);
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String text = message instanceof String m && !m.isBlank() ? m : ErrorStatus.reasonPhrase(code);
        // the failed request's own path decides the dialect, not the error path it was sent on to
        Object failedUri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        ApiDialect dialect = failedUri instanceof String uri
                ? ApiDialect.ofPath(uri.substring(Math.min(uri.length(), request.getContextPath().length())))
                : ApiDialect.of(request);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(dialect.bodyForStatus(status, LogSafe.of(text)));
    }
}
