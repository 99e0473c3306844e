package io.embedserve.app;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers the playground's API calls, on demand, as the service does while its model is still
 * loading (TEI's 503 "Unhealthy", the body /health sends), a state a test cannot hold still with
 * the real model. Off by default, so the service answers as itself.
 */
class ApiContractStandIn extends OncePerRequestFilter {

    private static final Set<String> API_PATHS = Set.of("/info", "/embed", "/similarity", "/rerank");

    private volatile boolean loading;

    void loading(boolean loading) {
        this.loading = loading;
    }

    void reset() {
        loading = false;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !API_PATHS.contains(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (loading) {
            answer(response, 503, "Model is not ready yet: it is still loading.", "Unhealthy");
        } else {
            chain.doFilter(request, response);
        }
    }

    private static void answer(HttpServletResponse response, int status, String error, String errorType)
            throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(("{\"error\":\"" + error + "\",\"error_type\":\"" + errorType + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
