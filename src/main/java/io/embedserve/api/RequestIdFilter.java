package io.embedserve.api;

import io.micrometer.common.KeyValue;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Gives every request on the public port an id and every answer the {@value #HEADER} header. An
 * incoming id is kept when it is sane (1 to {@value #MAX_LENGTH} characters of letters, digits and
 * {@code . _ : -}), so that a proxy's id follows the request through; anything else (too long,
 * control characters, non-ASCII, spaces) is replaced, because the id is written to the log and to
 * the trace as it is. The id goes into the logging MDC as {@value #MDC_KEY} and onto the request's
 * observation (its span, when tracing is on) as {@value #SPAN_ATTRIBUTE}, the Elastic Common Schema
 * name of the field.
 *
 * <p>It runs inside Spring's HTTP observation (order {@code HIGHEST_PRECEDENCE + 1}), so that the id
 * reaches the request's span, and before the API key and payload checks, so that their refusals
 * carry it too.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
final class RequestIdFilter extends OncePerRequestFilter {

    static final String HEADER = "x-request-id";
    static final String MDC_KEY = "requestId";
    static final String SPAN_ATTRIBUTE = "http.request.id";
    static final int MAX_LENGTH = 128;

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");
    private static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = keptOrNew(request.getHeader(HEADER));
        request.setAttribute(ATTRIBUTE, id);
        response.setHeader(HEADER, id);
        ServerHttpObservationFilter.findObservationContext(request)
                .ifPresent(observation -> observation.addHighCardinalityKeyValue(KeyValue.of(SPAN_ATTRIBUTE, id)));
        MDC.put(MDC_KEY, id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    /** The request's id; one is made up for a request this filter has not seen. */
    static String of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof String id ? id : newId();
    }

    static String keptOrNew(String incoming) {
        return incoming != null && SANE.matcher(incoming).matches() ? incoming : newId();
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
