package io.embedserve.api;

import org.apache.catalina.Lifecycle;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the API needs from Tomcat beyond Spring Boot's settings. */
@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> clientGoneDetection() {
        return factory -> factory.addContextValves(new ClientGoneValve());
    }

    /**
     * Tomcat's host renders what it refuses before the application sees the request (a header over
     * max-http-request-header-size, a malformed request line) as an HTML page; this puts the
     * service's JSON report in its place once the host is running.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReport() {
        return factory -> factory.addContextCustomizers(context -> context.addLifecycleListener(event -> {
            if (Lifecycle.AFTER_START_EVENT.equals(event.getType()) && context.getParent() != null) {
                Pipeline host = context.getParent().getPipeline();
                for (Valve valve : host.getValves()) {
                    if (valve.getClass() == ErrorReportValve.class) {
                        host.removeValve(valve);
                    }
                }
                host.addValve(new JsonErrorReportValve());
            }
        }));
    }

    /** Closes instead of reading on when SlowBodyFilter gave up on a body. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> slowClientClose() {
        return factory -> factory.addContextValves(new SlowClientValve());
    }
}
