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
 * Enforces the payload limit on every request body. Tomcat has no limit of its own on a JSON body
 * (its max-http-form-post-size covers forms only, max-swallow-size only unread leftovers), and a
 * Content-Length check alone misses chunked bodies, so the body stream itself counts bytes.
 *
 * <p>The filter never writes a response: the stream throws {@link
 * io.embedserve.error.PayloadTooLargeException} from inside the controller's body read, and the
 * one error mapping ({@link ApiExceptionHandler}) turns it into a 413 in the route's dialect. A
 * declared Content-Length over the limit fails on the first read, before any byte is consumed.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class PayloadLimitFilter extends OncePerRequestFilter {

    private final long limit;

    PayloadLimitFilter(ServingProperties properties) {
        this.limit = properties.payloadLimit().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new Limited(request, limit), response);
    }

    private static final class Limited extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedInputStream(super.getInputStream(), getContentLengthLong(), limit);
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
}
