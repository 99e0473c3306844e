package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.tokenize.TextTokenizer;
import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.OnnxReference;
import io.embedserve.testsupport.Vectors;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The service started as a TEI user configures TEI: the settings named by TEI's environment
 * variables (given here as properties of those exact names, which the service reads the same way)
 * change what the answers say and do.
 */
@TestPropertySource(properties = {
        "SERVED_MODEL_NAME=team-embedder",
        "AUTO_TRUNCATE=false",
        "DEFAULT_PROMPT=query: ",
        "CORS_ALLOW_ORIGIN=https://search.example"})
class TeiEnvironmentTest extends RunningServiceTest {

    @Test
    void infoReportsTheServedNameAndTheTruncationDefault() {
        JsonNode info = http.get("/info").json();
        assertThat(info.get("served_model_name").asString()).isEqualTo("team-embedder");
        assertThat(info.get("auto_truncate").booleanValue()).isFalse();
        assertThat(info.get("model_id").asString()).isNotEqualTo("team-embedder");
    }

    @Test
    void openAiAnswersNameTheServedModelWhenTheRequestNamesNone() {
        JsonNode answer = http.post("/v1/embeddings", "{\"input\": \"a cat\"}").json();
        assertThat(answer.get("model").asString()).isEqualTo("team-embedder");
    }

    @Test
    void theDefaultPromptGoesBeforeEveryInput() {
        HttpJson.Response response = http.post("/embed", "{\"inputs\": \"a cat\"}");
        assertThat(response.status()).isEqualTo(200);
        try (OnnxReference onnx = OnnxReference.miniLm();
                TextTokenizer tokenizer = TextTokenizer.load(MiniLmFixture.modelDirectory().resolve("tokenizer.json"), false)) {
            double[] expected = Vectors.toDouble(onnx.embed(tokenizer.encode("query: a cat").ids()));
            Vectors.assertSameVector("with DEFAULT_PROMPT", response.vector(0), expected);
        }
    }

    @Test
    void withoutAutoTruncateAnInputLongerThanTheModelIsRefusedUnlessTheRequestTruncates() {
        String longText = "word ".repeat(400);
        HttpJson.Response refused = http.post("/embed", "{\"inputs\": \"" + longText + "\"}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("error_type").asString()).isEqualTo("Validation");

        HttpJson.Response truncated = http.post("/embed", "{\"inputs\": \"" + longText + "\", \"truncate\": true}");
        assertThat(truncated.status()).isEqualTo(200);
    }

    @Test
    void aBrowserOnTheAllowedOriginGetsItsPreflightAndTheHeadersItMayRead() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> preflight = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/embed"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://search.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type, authorization")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://search.example");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");

        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/embed"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": \"a cat\"}"))
                .header("Content-Type", "application/json")
                .header("Origin", "https://search.example")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://search.example");
        assertThat(post.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("x-request-id");
    }

    @Test
    void aPageFromAnotherOriginIsRefusedItsPreflight() throws Exception {
        HttpResponse<String> preflight = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/embed"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", "https://elsewhere.example")
                        .header("Access-Control-Request-Method", "POST")
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
