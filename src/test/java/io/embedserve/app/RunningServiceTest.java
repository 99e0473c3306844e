package io.embedserve.app;

import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.MiniLmFixture;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application on a random port (and a random management port) serving the real all-MiniLM-L6-v2 weights; each test
 * starts once the model answers. Subclasses with the same settings share one running context;
 * a subclass adds settings with {@code @TestPropertySource}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // No API key: an open API is allowed on loopback only, where these tests call it.
        properties = {"embedserve.inference.exit-on-load-failure=false", "server.address=127.0.0.1"})
abstract class RunningServiceTest {

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("embedserve.model.path", () -> MiniLmFixture.modelDirectory().toString());
    }

    @LocalServerPort
    int port;

    /** Actuator: probes, health details, Prometheus. */
    @LocalManagementPort
    int managementPort;

    HttpJson http;
    HttpJson management;

    @BeforeEach
    void awaitModel() {
        http = new HttpJson(port);
        management = new HttpJson(managementPort);
        http.awaitReady(Duration.ofSeconds(120));
    }
}
