package io.embedserve.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Once shutdown has begun, every response says {@code Connection: close}. Graceful shutdown stops
 * accepting connections but keeps serving the open ones until nothing is in flight, then closes
 * them all; a client that reuses a kept-alive connection at that moment loses its request with no
 * answer. Closing each connection with its last response tells the client to open a new one, which
 * is then refused outright: an answer, or a refusal, never a request that vanishes.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class CloseConnectionsOnShutdown extends OncePerRequestFilter implements ApplicationListener<ContextClosedEvent> {

    private volatile boolean shuttingDown;

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        shuttingDown = true;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (shuttingDown) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
        }
        chain.doFilter(request, response);
        if (shuttingDown && !response.isCommitted()) {
            response.setHeader(HttpHeaders.CONNECTION, "close");
        }
    }
}
