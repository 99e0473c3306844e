package io.embedserve.api;

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

    /** Closes instead of reading on when SlowBodyFilter gave up on a body. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> slowClientClose() {
        return factory -> factory.addContextValves(new SlowClientValve());
    }
}
