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
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Cuts request bodies that arrive too slowly ({@link RequestBodyProperties}). Tomcat reads a body
 * on the request's own thread and has no minimum data rate, and its read timeout only catches a
 * client that sends nothing at all; a client sending a byte a second holds a thread for as long as
 * it likes. So the body stream is measured here: once past the grace time, a read that leaves the
 * body behind the minimum rate throws {@link SlowClientException}, a 408.
 *
 * <p>Whatever the application left unread (a 401 or a 429 answers before the body is read) is read
 * and dropped here too, at the same minimum rate and up to the payload limit, before Tomcat would
 * swallow it with no such rule. A body cut for slowness, or longer than that, is marked so that
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
        this.drainLimit = serving.payloadLimit().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Paced paced = new Paced(request, pace, System.nanoTime());
        chain.doFilter(paced, response);
        drain(paced, response);
    }

    /**
     * Reads what is left of the body, under the same rule; marks the request when it gives up. The
     * answer is completed and sent first, as Tomcat does before it swallows a body, so that a client
     * still sending has all of it before the connection may close.
     */
    private void drain(Paced request, HttpServletResponse response) {
        long length = request.getContentLengthLong();
        long read = request.stream == null ? 0 : request.stream.bytes;
        boolean noBodyLeft = length == 0 || length > 0 && read >= length
                || length < 0 && request.getHeader("Transfer-Encoding") == null
                || request.stream != null && request.stream.finished;
        if (noBodyLeft) {
            return;
        }
        try {
            finish(response);
            ServletInputStream body = request.getInputStream();
            byte[] buffer = new byte[8192];
            long drained = 0;
            while (drained <= drainLimit) {
                int n = body.read(buffer);
                if (n < 0) {
                    return;
                }
                drained += n;
            }
        } catch (SlowClientException | IOException | IllegalStateException e) {
            // too slow, the connection failed, or the body was taken as a reader by someone else
        }
        request.setAttribute(DO_NOT_SWALLOW, Boolean.TRUE);
    }

    /**
     * Closing the body's stream completes the answer: with its Content-Length when nothing was sent
     * yet, as Tomcat does at the end of a request (a flush would send it chunked, and a close while
     * the client still sends could cut the last chunk off).
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
