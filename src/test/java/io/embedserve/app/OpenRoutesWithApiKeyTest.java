package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.HttpJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The real service with API_KEY set: what a browser loads for the playground and for Swagger UI at
 * /docs answers without a key (the UI's settings and the description included), every answer
 * carries the two security headers, and the API itself still wants the key.
 */
@TestPropertySource(properties = "API_KEY=" + OpenAiSdkTest.KEY) // OpenAiSdkTest's context, shared
class OpenRoutesWithApiKeyTest extends RunningServiceTest {

    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "text/html,application/json,*/*").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void carriesTheSecurityHeaders(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("X-Content-Type-Options")).as(response.uri().toString()).hasValue("nosniff");
        assertThat(response.headers().firstValue("Referrer-Policy")).as(response.uri().toString()).hasValue("no-referrer");
    }

    @Test
    void swaggerUiItsSettingsAndTheDescriptionAnswerWithoutAKey() throws Exception {
        HttpResponse<String> docs = get("/docs");
        assertThat(docs.statusCode()).isEqualTo(302);
        assertThat(docs.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/docs/swagger-ui/index.html"));
        carriesTheSecurityHeaders(docs);

        HttpResponse<String> page = get("/docs/swagger-ui/index.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<div id=\"swagger-ui\">");
        carriesTheSecurityHeaders(page);

        HttpResponse<String> initializer = get("/docs/swagger-ui/swagger-initializer.js");
        assertThat(initializer.statusCode()).isEqualTo(200);
        assertThat(initializer.body()).contains("/openapi.json/swagger-config");

        HttpResponse<String> config = get("/openapi.json/swagger-config");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(new HttpJson.Response(200, config.body(), config.headers()).json().get("url").asString())
                .isEqualTo("/openapi.json");
        carriesTheSecurityHeaders(config);

        HttpResponse<String> description = get("/openapi.json");
        assertThat(description.statusCode()).isEqualTo(200);
        assertThat(new HttpJson.Response(200, description.body(), description.headers()).json()
                .get("paths").has("/embed")).isTrue();
        carriesTheSecurityHeaders(description);
    }

    @Test
    void thePlaygroundAnswersWithoutAKeyAndTheApiWantsOne() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("playground/main.js");
        carriesTheSecurityHeaders(page);
        HttpResponse<String> script = get("/playground/main.js");
        assertThat(script.statusCode()).isEqualTo(200);
        carriesTheSecurityHeaders(script);

        HttpJson.Response refused = http.post("/embed", "{\"inputs\": \"a\"}");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("error").asString())
                .isEqualTo("Missing API key: send it as \"Authorization: Bearer <key>\".");
        assertThat(refused.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(refused.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }
}
