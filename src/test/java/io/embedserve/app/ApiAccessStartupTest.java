package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.EmbedServeApplication;
import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.MiniLmFixture;
import java.time.Duration;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With no API key, the service starts only where an open API is meant: on loopback, or with
 * API_KEY_REQUIRED=false. Anywhere else it stops before it listens, saying what to set.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiAccessStartupTest {

    static final String[] COMMON = {"--server.port=0", "--management.server.port=0",
            "--embedserve.model.path=" + MiniLmFixture.modelDirectory(), "--embedserve.inference.exit-on-load-failure=false"};

    static String[] with(String... more) {
        String[] args = java.util.Arrays.copyOf(COMMON, COMMON.length + more.length);
        System.arraycopy(more, 0, args, COMMON.length, more.length);
        return args;
    }

    @Test
    void noKeyOnEveryInterfaceStopsStartUpWithWhatToSet() {
        assertThatThrownBy(() -> SpringApplication.run(EmbedServeApplication.class, with("--API_KEY=")).close())
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .extracting(Throwable::getMessage, InstanceOfAssertFactories.STRING)
                .isEqualTo("No API key is set (API_KEY, API_KEYS_FILE) and the API would listen on all interfaces,"
                        + " open to anyone who reaches it. Set API_KEY or API_KEYS_FILE; or listen on loopback only"
                        + " (SERVER_ADDRESS=127.0.0.1); or, if an open API is meant, set API_KEY_REQUIRED=false.");
    }

    @Test
    void apiKeyRequiredFalseStartsAnOpenApiAndTheLogSaysSo(CapturedOutput output) {
        try (ConfigurableApplicationContext context = SpringApplication.run(EmbedServeApplication.class,
                with("--API_KEY_REQUIRED=false"))) {
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            HttpJson http = new HttpJson(port);
            http.awaitReady(Duration.ofSeconds(120));
            HttpJson.Response answer = http.post("/embed", "{\"inputs\": \"open on purpose\"}");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.vector(0)).hasSize(MiniLmFixture.HIDDEN_SIZE);
        }
        assertThat(output.getAll().lines().filter(line -> line.contains("API access:")).toList()).singleElement()
                .asString().endsWith("API access: OPEN, no key needed, on all interfaces (API_KEY_REQUIRED=false)");
    }
}
