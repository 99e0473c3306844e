package io.embedserve.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.res.StringManager;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The error report of what Tomcat refuses before the application sees the request (a header over
 * max-http-request-header-size, a malformed request line or URI): the service's JSON, in the
 * dialect of the path asked for and with Tomcat's reason, in place of Tomcat's HTML page. A header
 * too large is 431, as TEI answers it; the rest keep Tomcat's status. Everything else the
 * application answers itself.
 */
final class JsonErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Tomcat's message for a request header over max-http-request-header-size, in its own locale. */
    private static final String HEADER_TOO_LARGE =
            StringManager.getManager("org.apache.coyote.http11").getString("iib.requestheadertoolarge.error");

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        if (response.getStatus() < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        if (throwable instanceof IllegalArgumentException && HEADER_TOO_LARGE.equals(throwable.getMessage())) {
            response.setStatus(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE.value()); // as TEI answers, not Tomcat's 400
        }
        int code = response.getStatus();
        HttpStatusCode status = HttpStatusCode.valueOf(code);
        // Tomcat's own words for what it could not parse: "Request header is too large" (thrown as an
        // IllegalArgumentException), "Invalid URI: ..." (the response's message). Any other
        // throwable is the application's and is not shown.
        String reason = throwable instanceof IllegalArgumentException parse && parse.getMessage() != null
                ? parse.getMessage()
                : response.getMessage() != null ? response.getMessage() : ErrorStatus.reasonPhrase(code);
        String message = LogSafe.of(reason);
        String path = request.getRequestURI() == null ? "/" : request.getRequestURI();
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(ApiDialect.ofPath(path).bodyForStatus(status, message)));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response closed: nothing more can be said
        }
    }
}
