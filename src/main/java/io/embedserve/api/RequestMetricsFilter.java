package io.embedserve.api;

import io.embedserve.error.ErrorKind;
import io.embedserve.metrics.EmbedServeMetrics;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts every API request by route, outcome and error kind, in one place for all routes. It runs
 * first, so even bodies refused before any controller (payload limit, malformed JSON) are counted;
 * the error kind comes from {@link ApiExceptionHandler}, which records it on the request.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestMetricsFilter extends OncePerRequestFilter {

    static final String ERROR_KIND = RequestMetricsFilter.class.getName() + ".errorKind";

    private final EmbedServeMetrics metrics;

    RequestMetricsFilter(EmbedServeMetrics metrics) {
        this.metrics = metrics;
    }

    /** Every counted route is a POST; GET / is the playground's page, not the embed alias. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod())
                || !EmbedServeMetrics.ROUTE_BY_PATH.containsKey(ApiDialect.pathOf(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            String route = EmbedServeMetrics.ROUTE_BY_PATH.get(ApiDialect.pathOf(request));
            int status = response.getStatus();
            if (status < 400) {
                metrics.requestSucceeded(route);
            } else {
                Object kind = request.getAttribute(ERROR_KIND);
                metrics.requestFailed(route,
                        kind instanceof ErrorKind k ? k : ErrorStatus.kindOf(HttpStatusCode.valueOf(status)));
            }
        }
    }
}
