package io.embedserve.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP peer answers TEI's /embed shapes with LangChain4j's own vectors, at unit length. */
class HttpPeerServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static HttpServer server;
    private static URI url;

    @BeforeAll
    static void start() throws IOException {
        server = HttpPeerServer.start(0, 4);
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void oneTextGivesLangChain4jsVectorAtUnitLength() throws Exception {
        String text = "Der schnelle braune Fuchs springt über den faulen Hund.";
        HttpResponse<String> response = post("{\"inputs\": \"" + text + "\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        float[][] vectors = JSON.readValue(response.body(), float[][].class);
        assertThat(vectors).hasDimensions(1, 384);
        float[] expected = new AllMiniLmL6V2EmbeddingModel().embed(text).content().vector();
        assertThat(cosine(vectors[0], expected)).isGreaterThan(0.999999);
        assertThat(Math.sqrt(dot(vectors[0], vectors[0]))).isCloseTo(1.0, Offset.offset(1e-6));
    }

    @Test
    void anArrayGivesOneVectorPerTextInOrder() throws Exception {
        HttpResponse<String> pair = post("{\"inputs\": [\"a red apple\", \"the stock market fell\"]}");
        HttpResponse<String> second = post("{\"inputs\": \"the stock market fell\"}");

        assertThat(pair.statusCode()).isEqualTo(200);
        float[][] vectors = JSON.readValue(pair.body(), float[][].class);
        assertThat(vectors).hasNumberOfRows(2);
        assertThat(cosine(vectors[1], JSON.readValue(second.body(), float[][].class)[0])).isGreaterThan(0.999999);
        assertThat(cosine(vectors[0], vectors[1])).isLessThan(0.9);
    }

    @Test
    void malformedJsonIs400WithTeisErrorShape() throws Exception {
        HttpResponse<String> response = post("{\"inputs\": ");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("error_type").asString()).isEqualTo("Validation");
        assertThat(error.get("error").asString()).startsWith("malformed JSON");
    }

    @Test
    void inputsOfTheWrongTypeAre422() throws Exception {
        assertThat(post("{\"inputs\": 42}").statusCode()).isEqualTo(422);
        assertThat(post("{\"inputs\": [\"a\", 1]}").statusCode()).isEqualTo(422);
        assertThat(post("{\"text\": \"a\"}").statusCode()).isEqualTo(422);
    }

    @Test
    void healthIs200AndGetOnEmbedIs405() throws Exception {
        assertThat(HTTP.send(HttpRequest.newBuilder(url.resolve("/health")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(HTTP.send(HttpRequest.newBuilder(url.resolve("/embed")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url.resolve("/embed")).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double cosine(float[] a, float[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
