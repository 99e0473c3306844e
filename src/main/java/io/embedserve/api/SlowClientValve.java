package io.embedserve.api;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Closes the connection of a request whose body {@link SlowBodyFilter} gave up on, instead of
 * letting Tomcat read ("swallow") the rest of it: Tomcat swallows an unread body so that the client
 * sees the answer, on the request's thread and with no rate rule, so a slow client would hold the
 * thread anyway. The answer is still written first; then Tomcat closes the connection.
 *
 * <p>Tomcat counts a request whose swallow is switched off as failed, and for a failed request it
 * renders the error page for its status: Spring Boot's /error, written over or after the answer the
 * application already gave. That answer is the one the client must see, so the failure is marked
 * as already reported.
 */
final class SlowClientValve extends ValveBase {

    SlowClientValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        if (Boolean.TRUE.equals(request.getAttribute(SlowBodyFilter.DO_NOT_SWALLOW))) {
            request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
            response.setErrorReported();
        }
    }
}
