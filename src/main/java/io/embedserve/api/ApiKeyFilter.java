package io.embedserve.api;

import io.embedserve.cache.CacheScope;
import io.embedserve.config.ApiKeyProperties;
import io.embedserve.error.UnauthorizedException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * TEI's {@code --api-key}: with API_KEY or API_KEYS_FILE set, every request to the public port
 * outside {@link OpenRoutes} must carry {@code Authorization: Bearer <key>} (RFC 6750; the scheme
 * is case-insensitive), else 401 in the route's dialect with {@code WWW-Authenticate: Bearer}.
 *
 * <p>One filter rather than Spring Security: the rule is a static bearer key compared in constant
 * time, with no users, sessions, roles, CSRF or token introspection. Spring Security would bring
 * all of those as defaults to switch off (its auto-configuration also secures actuator and logs a
 * generated password), and its resource server only knows JWT and opaque-token introspection, so
 * the key check and the dialect-shaped 401 would still be ours. The filter lives in the public
 * port's context only; the management port's child context does not see it.
 *
 * <p>The refusal goes through the one error mapping ({@link ApiExceptionHandler}), so it has the
 * same shape, status table and metrics as every other error. Neither the header nor the key is
 * ever logged.
 *
 * <p>An admitted request is served within the {@link CacheScope} of its key (the open scope when
 * the API has no keys), so that the embedding cache never answers one key with what another key
 * embedded.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class ApiKeyFilter extends OncePerRequestFilter {

    private static final String BEARER = "bearer ";

    private final ApiKeys keys;
    private final HandlerExceptionResolver errors;

    ApiKeyFilter(ApiKeyProperties properties,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
        this.keys = new ApiKeys(properties);
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return OpenRoutes.isOpen(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!keys.required()) {
            try (CacheScope.Binding ignored = CacheScope.bind(CacheScope.OPEN)) {
                chain.doFilter(request, response);
            }
            return;
        }
        byte[] key = keys.match(bearerToken(request));
        if (key != null) {
            try (CacheScope.Binding ignored = CacheScope.bind(CacheScope.ofApiKey(key))) {
                chain.doFilter(request, response);
            }
            return;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String message = header == null
                ? "Missing API key: send it as \"Authorization: Bearer <key>\"."
                : "Invalid API key.";
        errors.resolveException(request, response, null, new UnauthorizedException(message));
    }

    /** The credentials of an {@code Authorization: Bearer <token>} header, or null. */
    static String bearerToken(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() <= BEARER.length()
                || !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return null;
        }
        return header.substring(BEARER.length()).strip();
    }
}
