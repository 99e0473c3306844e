package io.embedserve.api;

import io.embedserve.config.EndpointProperties;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * CORS_ALLOW_ORIGIN, as TEI has it: the origins whose pages may call the API from a browser. The
 * filter runs before the API-key check, because a browser's preflight (OPTIONS) never carries the
 * key; it answers the preflight itself and adds the headers to the real request, which then needs
 * its key as any other. Without the setting no CORS header is sent and the browser's same-origin
 * rule holds (the playground is served from the API's own origin and needs none).
 */
@Configuration(proxyBeanMethods = false)
class CorsConfiguration {

    /** Headers a page may read: the request id and TEI's timing headers. */
    static final List<String> EXPOSED = List.of("x-request-id", "x-compute-type", "x-compute-time",
            "x-compute-tokens", "x-tokenization-time", "x-queue-time", "x-inference-time");

    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(EndpointProperties endpoint) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        List<String> origins = endpoint.corsAllowOrigin();
        if (!origins.isEmpty()) {
            org.springframework.web.cors.CorsConfiguration cors = new org.springframework.web.cors.CorsConfiguration();
            if (origins.contains("*")) {
                cors.addAllowedOriginPattern("*");
            } else {
                origins.forEach(cors::addAllowedOrigin);
            }
            cors.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
            cors.addAllowedHeader("*");
            cors.setExposedHeaders(EXPOSED);
            cors.setMaxAge(3600L);
            source.registerCorsConfiguration("/**", cors);
        }
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(source));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 4);
        return registration;
    }
}
