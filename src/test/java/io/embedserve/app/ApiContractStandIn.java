package io.embedserve.app;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers the playground's API calls, on demand, as two states of the service do that a test
 * cannot easily reach with the real model: API keys switched on (the brief's contract: 401 with
 * {@code WWW-Authenticate: Bearer} and TEI's error shape unless {@code Authorization: Bearer <key>}
 * is right) and a model that is still loading (TEI's 503 "Unhealthy", the body /health sends).
 * Off by default, so the service answers as itself.
 */
class ApiContractStandIn extends OncePerRequestFilter {

    private static final Set<String> API_PATHS = Set.of("/info", "/embed", "/similarity");

    private volatile String requiredKey;
    private volatile boolean loading;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    void requireKey(String key) {
        requiredKey = key;
    }

    void loading(boolean loading) {
        this.loading = loading;
    }

    /** The Authorization header of every API call seen so far ("none" where there was none). */
    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    void reset() {
        requiredKey = null;
        loading = false;
        authorizations.clear();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !API_PATHS.contains(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        authorizations.add(authorization == null ? "none" : authorization);
        String key = requiredKey;
        if (key != null && !("Bearer " + key).equals(authorization)) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            answer(response, 401, "missing or invalid API key", "Validation");
        } else if (loading) {
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
