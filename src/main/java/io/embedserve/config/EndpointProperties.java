package io.embedserve.config;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the service listens and who may call it from a browser.
 *
 * @param port the API's port (and GET /health's)
 * @param managementPort the port of the probes, health details and Prometheus metrics
 *     (/actuator/...); keep it on a private network. TEI's PROMETHEUS_PORT names it too
 * @param corsAllowOrigin origins a browser page may call the API from (comma-separated; "*" for
 *     any); unset: none, the browser's same-origin rule holds
 */
@ConfigurationProperties("embedserve.http")
public record EndpointProperties(
        @EnvironmentVariable(value = "PORT", springProperty = "server.port") @DefaultValue("8080") int port,
        @EnvironmentVariable(value = {"MANAGEMENT_PORT", "PROMETHEUS_PORT"}, springProperty = "management.server.port")
        @DefaultValue("9000") int managementPort,
        @EnvironmentVariable("CORS_ALLOW_ORIGIN") List<String> corsAllowOrigin) {

    public EndpointProperties {
        corsAllowOrigin = corsAllowOrigin == null ? List.of()
                : corsAllowOrigin.stream().map(String::strip).filter(origin -> !origin.isEmpty()).toList();
    }
}
