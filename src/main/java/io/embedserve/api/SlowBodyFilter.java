package io.embedserve.api;

import io.embedserve.config.RequestBodyProperties;
import io.embedserve.config.ServingProperties;
import io.embedserve.error.SlowClientException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Cuts request bodies that arrive too slowly ({@link RequestBodyProperties}). Tomcat reads a body
 * on the request's own thread and has no minimum data rate, and its read timeout only catches a
 * client that sends nothing at all; a client sending a byte a second holds a thread for as long as
 * it likes. So the body stream is measured here: once past the grace time, a read that leaves the
 * body behind the minimum rate throws {@link SlowClientException}, a 408.
 *
 * <p>Whatever the application left unread (a 401, 404, 405, 415 or 429 answers before the body is
 * read, a 413 part of the way) is read and dropped here too, at the same minimum rate and up to
 * twice the payload limit, before Tomcat would swallow it with no such rule; the connection then
 * stays open for the client's next request (Tomcat closes it after a 413 all the same, but the
 * client, which sends its whole body before it reads, gets the answer instead of a reset). A body
 * cut for slowness, or longer than that, is marked so that
 * {@link SlowClientValve} tells Tomcat to close the connection instead of reading on.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class SlowBodyFilter extends OncePerRequestFilter {

    /** Request attribute: Tomcat must not read the rest of this body; it closes the connection instead. */
    static final String DO_NOT_SWALLOW = SlowBodyFilter.class.getName() + ".doNotSwallow";

    private final RequestBodyProperties pace;
    private final long drainLimit;

    SlowBodyFilter(RequestBodyProperties pace, ServingProperties serving) {
        this.pace = pace;
        // A body a little over the limit is the usual mistake, and its client should read a 413, not
        // a reset; one far over it is cut without reading.
        this.drainLimit = 2 * serving.payloadLimit().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Paced paced = new Paced(request, pace, System.nanoTime());
        chain.doFilter(paced, response);
        drain(paced, response);
    }

    /**
     * Reads and drops what is left of the body, under the same rule, and only then lets the answer
     * go: the connection is then ready for the client's next request. (Tomcat sends the answer
     * before it swallows a body, but here that cannot be done: completing the answer closes the
     * response, and closing the response closes the request's input with it, so no read would
     * succeed.) When the rest is not read (too slow, longer than twice the payload limit, or a broken
     * connection), the answer is completed with Connection: close and the request is marked for
     * {@link SlowClientValve}, so that Tomcat closes instead of reading on.
     */
    private void drain(Paced request, HttpServletResponse response) {
        long length = request.getContentLengthLong();
        long read = request.stream == null ? 0 : request.stream.bytes;
        boolean noBodyLeft = length == 0 || length > 0 && read >= length
                || length < 0 && request.getHeader("Transfer-Encoding") == null
                || request.stream != null && request.stream.finished;
        if (noBodyLeft || readsTheRest(request, length < 0 ? -1 : length - read)) {
            return;
        }
        if (!response.isCommitted()) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
        }
        try {
            finish(response);
        } catch (IOException | IllegalStateException e) {
            // the connection failed: there is no one left to answer
        }
        request.setAttribute(DO_NOT_SWALLOW, Boolean.TRUE);
    }

    /**
     * Whether the rest of the body was read to its end. A body already cut for slowness, or whose
     * declared rest is over the drain limit (as Tomcat's own max-swallow-size rule), is not read at all:
     * the connection closes anyway, and reading would only keep the thread.
     */
    private boolean readsTheRest(Paced request, long declaredRest) {
        if (request.stream != null && request.stream.cut || declaredRest > drainLimit) {
            return false;
        }
        try {
            ServletInputStream body = request.getInputStream();
            byte[] buffer = new byte[8192];
            long drained = 0;
            while (drained <= drainLimit) {
                int n = body.read(buffer);
                if (n < 0) {
                    return true;
                }
                drained += n;
            }
        } catch (SlowClientException | IOException | IllegalStateException e) {
            // too slow, the connection failed, or the body was taken as a reader by someone else
        }
        return false;
    }

    /**
     * Completes the answer before Tomcat is told to close: closing the response's stream sends it with
     * its Content-Length when nothing was sent yet, as Tomcat does at the end of a request (a flush
     * would send it chunked). Sent, it is also out of reach of what Tomcat does to a request whose
     * swallow is switched off, such as turning a 200 into a 500.
     */
    private static void finish(HttpServletResponse response) throws IOException {
        try {
            response.getOutputStream().close();
        } catch (IllegalStateException writerInUse) {
            response.getWriter().close();
        }
    }

    private static final class Paced extends HttpServletRequestWrapper {

        private final RequestBodyProperties pace;
        private final long startNanos;
        private PacedStream stream;

        Paced(HttpServletRequest request, RequestBodyProperties pace, long startNanos) {
            super(request);
            this.pace = pace;
            this.startNanos = startNanos;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new PacedStream(super.getInputStream(), pace, startNanos);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    /** Counts the body's bytes as they arrive and checks the rate after every read. */
    private static final class PacedStream extends ServletInputStream {

        private final ServletInputStream in;
        private final RequestBodyProperties pace;
        private final long startNanos;
        private long bytes;
        private boolean finished;
        /** Set once a read has thrown SlowClientException: the body is given up on. */
        private boolean cut;

        PacedStream(ServletInputStream in, RequestBodyProperties pace, long startNanos) {
            this.in = in;
            this.pace = pace;
            this.startNanos = startNanos;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            counted(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            counted(n);
            return n;
        }

        private void counted(int n) {
            if (n < 0) {
                finished = true;
                return;
            }
            bytes += n;
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            if (pace.tooSlow(bytes, elapsed)) {
                cut = true;
                throw new SlowClientException(String.format(java.util.Locale.ROOT,
                        "The request body arrived at %.0f bytes/s after %d s, under the minimum of %d bytes/s"
                                + " (EMBEDSERVE_REQUEST_BODY_MIN_RATE)",
                        bytes / (elapsed.toNanos() / 1e9), elapsed.toSeconds(), pace.minRate().toBytes()));
            }
        }

        @Override
        public boolean isFinished() {
            return finished || in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
