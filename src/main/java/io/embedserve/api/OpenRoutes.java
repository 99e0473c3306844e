package io.embedserve.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;

/**
 * The one list of public-port routes that need no API key: TEI's health routes (/health, and
 * /ping as SageMaker calls it), the playground page
 * and its static files, and the API description (the brief's contract). Everything else on the
 * public port, {@code POST /} and {@code POST /invocations} included, needs the key. Only reads
 * are open. The management port has no key at all: it is never published.
 */
final class OpenRoutes {

    /**
     * Exact paths open to GET and HEAD. {@code GET /} is the playground, or TEI health for non-browsers;
     * Swagger UI at /docs reads its settings from /openapi.json/swagger-config, then the description.
     */
    static final Set<String> PATHS = Set.of("/", "/index.html", "/health", "/ping", "/docs", "/openapi.json",
            "/openapi.json/swagger-config", "/favicon.ico");

    /** Path prefixes open to GET and HEAD: the Swagger UI under /docs and the playground's files. */
    static final List<String> PREFIXES = List.of("/docs/", "/playground/", "/assets/", "/static/", "/webjars/");

    private OpenRoutes() {}

    static boolean isOpen(HttpServletRequest request) {
        return isOpen(request.getMethod(), ApiDialect.pathOf(request));
    }

    static boolean isOpen(String method, String path) {
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return false;
        }
        return PATHS.contains(path) || PREFIXES.stream().anyMatch(path::startsWith);
    }
}
