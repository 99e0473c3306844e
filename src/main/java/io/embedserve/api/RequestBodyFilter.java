package io.embedserve.api;

import io.embedserve.config.ServingProperties;
import jakarta.servlet.FilterChain;
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
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards every request body: before its first byte is read it takes its share of the budget of
 * bytes in flight ({@link RequestBytesBudget}, 429 when it does not fit), and while it is read the
 * stream enforces the payload limit (413). Tomcat has no limit of its own on a JSON body (its
 * max-http-form-post-size covers forms only, max-swallow-size only unread leftovers), and a
 * Content-Length check alone misses chunked bodies, so the body stream itself counts bytes. The
 * share is returned when the request ends, whatever its outcome.
 *
 * <p>The filter never writes a response: the stream throws the service's own exceptions from
 * inside the controller's body read, and the one error mapping ({@link ApiExceptionHandler}) turns
 * them into the route's dialect. A declared Content-Length over the limit fails on the first read,
 * before any byte is consumed, and takes nothing from the budget, so it is answered 413 under any
 * load. A request whose body is never read takes nothing from the budget either.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestBodyFilter extends OncePerRequestFilter {

    private final long limit;
    private final RequestBytesBudget budget;

    RequestBodyFilter(ServingProperties properties) {
        this.limit = properties.payloadLimit().toBytes();
        this.budget = new RequestBytesBudget(properties.maxRequestBytesInFlight() != null
                ? Math.max(limit, properties.maxRequestBytesInFlight().toBytes())
                : RequestBytesBudget.defaultCapacity(Runtime.getRuntime().maxMemory(), limit));
    }

    /** The budget of bytes in flight (MAX_REQUEST_BYTES_IN_FLIGHT, or a share of the heap when unset). */
    RequestBytesBudget budget() {
        return budget;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Guarded guarded = new Guarded(request, limit, budget);
        try {
            chain.doFilter(guarded, response);
        } finally {
            guarded.release();
        }
    }

    private static final class Guarded extends HttpServletRequestWrapper {

        private final long limit;
        private final RequestBytesBudget budget;
        private ServletInputStream stream;
        private RequestBytesBudget.Share share;

        Guarded(HttpServletRequest request, long limit, RequestBytesBudget budget) {
            super(request);
            this.limit = limit;
            this.budget = budget;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                long declared = getContentLengthLong();
                // A body declared over the limit fails on its first read and is never held, so it
                // takes nothing: it gets its 413 even when the budget is spent, not a 429 that would
                // tell its client to retry a request that cannot succeed.
                if (declared <= limit) {
                    share = budget.take(declared >= 0 ? declared : limit);
                }
                stream = new LimitedInputStream(super.getInputStream(), declared, limit);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        void release() {
            if (share != null) {
                share.close();
            }
        }
    }
}
