package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.RequiredTool;
import io.embedserve.testsupport.HttpJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official OpenAI JavaScript SDK (npm {@code openai}, pinned in src/test/node/package-lock.json
 * and installed by .ci/run into target/node-clients, as for {@link JavaScriptClientsTest}) against
 * the running service with API_KEY set: with the key it embeds, with a wrong key it raises the
 * SDK's AuthenticationError, without a header it gets 401 and the Bearer challenge. Skipped, with
 * the reason, where node or the package is missing.
 */
@TestPropertySource(properties = "API_KEY=" + OpenAiSdkTest.KEY)
class OpenAiSdkTest extends RunningServiceTest {

    static final String KEY = "es-sdk-test-key-4c1d";
    static final String SCRIPT = "openai-api-key.mjs";

    @Test
    void theOpenAiSdkEmbedsWithItsApiKeyAndGets401WithoutIt() throws Exception {
        RequiredTool.require(JavaScriptClientsTest.nodeVersion() != null, "node is not installed: the OpenAI SDK cannot run here");
        Path clients = JavaScriptClientsTest.CLIENTS.toAbsolutePath();
        RequiredTool.require(Files.isDirectory(clients.resolve("node_modules/openai")), "openai is not installed in " + clients
                + "; .ci/run installs it (npm ci from src/test/node)");
        Files.copy(JavaScriptClientsTest.SCRIPTS.resolve(SCRIPT), clients.resolve(SCRIPT), StandardCopyOption.REPLACE_EXISTING);

        JsonNode result = run(clients, "node", SCRIPT, "http://127.0.0.1:" + port, KEY);

        JsonNode withKey = result.get("withKey");
        assertThat(withKey.get("ok").asBoolean()).as(withKey.toString()).isTrue();
        assertThat(withKey.get("count").asInt()).isEqualTo(2);
        assertThat(withKey.get("dimensions").asInt()).isEqualTo(384);
        assertThat(withKey.get("promptTokens").asInt()).isPositive();
        // The SDK's own base64 decoding gives the same floats, up to the last bits a different batch
        // composition of the two requests may change.
        for (int i = 0; i < 4; i++) {
            assertThat(withKey.get("firstBase64").get(i).floatValue())
                    .isCloseTo(withKey.get("firstFloat").get(i).floatValue(), org.assertj.core.data.Offset.offset(1e-5f));
        }
        JsonNode wrongKey = result.get("wrongKey");
        assertThat(wrongKey.get("ok").asBoolean()).isFalse();
        assertThat(wrongKey.get("errorClass").asString()).isEqualTo("AuthenticationError");
        assertThat(wrongKey.get("status").asInt()).isEqualTo(401);
        assertThat(wrongKey.get("type").asString()).isEqualTo("invalid_request_error");
        assertThat(wrongKey.get("code").asString()).isEqualTo("invalid_api_key");
        JsonNode noHeader = result.get("noHeader");
        assertThat(noHeader.get("status").asInt()).isEqualTo(401);
        assertThat(noHeader.get("wwwAuthenticate").asString()).isEqualTo("Bearer");
        assertThat(noHeader.get("body").get("error").get("code").asString()).isEqualTo("invalid_api_key");
    }

    @Test
    void healthAndTheManagementPortNeedNoKey() {
        HttpJson.Response health = http.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEmpty();
        HttpJson.Response info = http.get("/info");
        assertThat(info.status()).isEqualTo(401);
        assertThat(info.json().get("error").asString()).isEqualTo("Missing API key: send it as \"Authorization: Bearer <key>\".");
        HttpJson.Response readiness = management.get("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().get("status").asString()).isEqualTo("UP");
        HttpJson.Response metrics = management.get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).containsPattern("(?m)^embedserve_inference_worker_up(\\{[^}]*})? 1\\.0$");
        HttpJson.Response embed = new HttpJson(port).post("/embed", "{\"inputs\": \"no key\"}");
        assertThat(embed.status()).isEqualTo(401);
        assertThat(embed.json().get("error_type").asString()).isEqualTo("Validation");
    }

    static JsonNode run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        return JsonMapper.builder().build().readTree(last);
    }
}
