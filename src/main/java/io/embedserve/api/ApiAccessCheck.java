package io.embedserve.api;

import io.embedserve.config.ApiKeyProperties;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Decides, before the public port listens, whether the API may be open, and says in one log line
 * which it is. With a key (API_KEY or API_KEYS_FILE) it is key-protected. Without one it is open,
 * which is allowed only where nobody else can reach it, on a loopback address
 * ({@code server.address}: 127.0.0.1, ::1 or localhost), or where API_KEY_REQUIRED=false says so;
 * otherwise the service does not start, so that a blank or forgotten key never opens an API to the
 * network by accident.
 *
 * <p>It looks at the address the server will really bind, after Spring Boot has applied its own
 * settings (this customizer runs last). The management port has its own server and no key at all.
 */
@Component
class ApiAccessCheck implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ApiAccessCheck.class);

    private final ApiKeyProperties keys;

    ApiAccessCheck(ApiKeyProperties keys) {
        this.keys = keys;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        log.info(decide(keys, factory.getAddress()));
    }

    /** The log line for an allowed configuration; throws for an open API that is not meant to be. */
    static String decide(ApiKeyProperties keys, InetAddress bind) {
        if (keys.configured()) {
            String source = keys.key() != null && keys.file() != null ? "API_KEY and API_KEYS_FILE " + keys.file()
                    : keys.key() != null ? "API_KEY" : "API_KEYS_FILE " + keys.file();
            return "API access: key-protected; every API route needs \"Authorization: Bearer <key>\" (" + source + ")";
        }
        String where = bind == null ? "all interfaces" : bind.getHostAddress();
        if (bind != null && bind.isLoopbackAddress()) {
            return "API access: OPEN, no key needed: it listens on loopback " + where + " only";
        }
        if (!keys.required()) {
            return "API access: OPEN, no key needed, on " + where + " (API_KEY_REQUIRED=false)";
        }
        throw new IllegalStateException("No API key is set (API_KEY, API_KEYS_FILE) and the API would listen on "
                + where + ", open to anyone who reaches it. Set API_KEY or API_KEYS_FILE; or listen on loopback"
                + " only (SERVER_ADDRESS=127.0.0.1); or, if an open API is meant, set API_KEY_REQUIRED=false.");
    }

    /** After every other customizer, Spring Boot's server.address included. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
