package io.embedserve.app;

import io.embedserve.testsupport.HttpJson;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole application started the way the README says, on a model found in a Hugging Face hub
 * cache: the test sets the environment variables' names ({@code HF_HUB_CACHE}, {@code MODEL_ID})
 * as properties, which application.yml's placeholders read exactly as they read the environment.
 * Subclasses lay the cache out as huggingface_hub does and register the two names.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"embedserve.inference.exit-on-load-failure=false", "MODEL_PATH=", "server.address=127.0.0.1"})
abstract class HubCacheStartupTest {

    @LocalServerPort
    int port;

    HttpJson http;

    @BeforeEach
    void awaitModel() {
        http = new HttpJson(port);
        http.awaitReady(Duration.ofSeconds(120));
    }
}
