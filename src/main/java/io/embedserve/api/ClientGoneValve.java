package io.embedserve.api;

import io.embedserve.inference.Caller;
import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Lets a request that waits for the model notice that its client has closed the connection, so
 * that its inputs are dropped before they are computed ({@link Caller}).
 *
 * <p>The Servlet API has no such notice: Tomcat finds a closed connection only when a write fails,
 * which for us is after the work is done (an async request's {@code onError} did not fire either,
 * measured with Tomcat 11.0.24 over HTTP/1.1). Tomcat's own request can do a non-blocking read of
 * the socket, though, which is what this valve gives the waiting thread. The read only ever runs on
 * the thread that serves the request, as Tomcat requires.
 */
final class ClientGoneValve extends ValveBase {

    ClientGoneValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        org.apache.coyote.Request exchange = request.getCoyoteRequest();
        try (Caller.Binding ignored = Caller.bindPresence(() -> clientClosed(exchange))) {
            getNext().invoke(request, response);
        }
    }

    /**
     * A non-blocking read reports "bytes available" both when the client has closed (Tomcat turns
     * the end-of-stream into one available byte so that a later read raises it) and when the next
     * pipelined request has begun to arrive. They differ in Tomcat's buffer: pipelined bytes stay
     * there, an end-of-stream leaves it empty. Over HTTP/2 no socket read happens and the answer is
     * always "still there".
     */
    static boolean clientClosed(org.apache.coyote.Request exchange) {
        exchange.action(ActionCode.AVAILABLE, Boolean.TRUE);
        if (exchange.getAvailable() == 0) {
            return false;
        }
        exchange.action(ActionCode.AVAILABLE, Boolean.FALSE);
        return exchange.getAvailable() == 0;
    }
}
