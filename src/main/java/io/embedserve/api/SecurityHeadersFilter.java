package io.embedserve.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Two headers on every response of the public port (API, errors, the playground, Swagger UI), set
 * before anything else runs so that no early refusal goes out without them:
 * {@code X-Content-Type-Options: nosniff}, so that a browser never runs a JSON answer or an error
 * that echoes client text as a script or a page, and {@code Referrer-Policy: no-referrer}, since
 * nothing here needs the page's address sent along (the playground and the docs only call this
 * origin, and the address may carry a private host name).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class SecurityHeadersFilter extends OncePerRequestFilter {

    static final String CONTENT_TYPE_OPTIONS = "X-Content-Type-Options";
    static final String REFERRER_POLICY = "Referrer-Policy";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(CONTENT_TYPE_OPTIONS, "nosniff");
        response.setHeader(REFERRER_POLICY, "no-referrer");
        chain.doFilter(request, response);
    }
}
