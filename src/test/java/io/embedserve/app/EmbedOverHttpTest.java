package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.TruncationDirection;
import io.embedserve.inference.tokenize.TextTokenizer;
import io.embedserve.inference.tokenize.Truncation;
import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.OnnxReference;
import io.embedserve.testsupport.Vectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The whole service on a real port with real all-MiniLM-L6-v2 weights. */
class EmbedOverHttpTest extends RunningServiceTest {

    static OnnxReference onnx;
    static TextTokenizer tokenizer;

    @BeforeAll
    static void reference() {
        onnx = OnnxReference.miniLm();
        tokenizer = TextTokenizer.load(MiniLmFixture.modelDirectory().resolve("tokenizer.json"), false);
    }

    @AfterAll
    static void close() {
        onnx.close();
        tokenizer.close();
    }

    static double[] expected(String text) {
        long[] ids = Truncation.truncate(tokenizer.encode(text), 256, TruncationDirection.RIGHT);
        return Vectors.toDouble(onnx.embed(ids));
    }

    @Test
    void embedsOneStringAsOnnxRuntimeDoes() {
        HttpJson.Response response = http.post("/embed", "{\"inputs\": \"Привет, как дела?\"}");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-compute-type")).hasValue("cpu");
        assertThat(response.headers().firstValue("x-inference-time")).isPresent();
        Vectors.assertSameVector("http", response.vector(0), expected("Привет, как дела?"));
    }

    /** TEI returns the raw pooled vector for "normalize": false, even though this model ends in Normalize. */
    @Test
    void normalizeFalseReturnsTheRawMeanPooledVector() {
        String text = "Привет, как дела?";
        HttpJson.Response response = http.post("/embed", "{\"inputs\": \"" + text + "\", \"normalize\": false}");
        assertThat(response.status()).isEqualTo(200);
        long[] ids = Truncation.truncate(tokenizer.encode(text), 256, TruncationDirection.RIGHT);
        double[] raw = Vectors.toDouble(onnx.meanPooled(ids));
        Vectors.assertSameVector("raw", response.vector(0), raw);
        double norm = Math.sqrt(java.util.Arrays.stream(raw).map(v -> v * v).sum());
        assertThat(norm).isNotCloseTo(1.0, org.assertj.core.data.Offset.offset(0.05));
        // OpenAI's route always answers unit vectors.
        JsonNode openAi = http.post("/v1/embeddings", "{\"input\": \"" + text + "\"}").json();
        assertThat(openAi.get("data").get(0).get("embedding").get(0).doubleValue())
                .isCloseTo(expected(text)[0], org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void postToTheBaseUrlAndToInvocationsEmbedsAsEmbedDoes() {
        for (String alias : new String[] {"/", "/invocations"}) {
            HttpJson.Response response = http.post(alias, "{\"inputs\": [\"a cat\", \"🚀\"]}");
            assertThat(response.status()).as(alias).isEqualTo(200);
            assertThat(response.headers().firstValue("x-compute-type")).hasValue("cpu");
            Vectors.assertSameVector(alias, response.vector(0), expected("a cat"));
            Vectors.assertSameVector(alias, response.vector(1), expected("🚀"));
        }
    }

    @Test
    void anUnknownRouteIsNotFoundInOurWords() {
        HttpJson.Response response = http.post("/embedding", "{\"inputs\": \"x\"}");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("error_type").asString()).isEqualTo("NotFound");
        assertThat(response.json().get("error").asString()).contains("POST /embedding is not a route")
                .doesNotContain("static resource");
    }

    @Test
    void theEmbeddingsAliasGivesTheModelsVectorsAsTheOpenAiRoute() {
        HttpJson.Response response = http.post("/embeddings", "{\"input\": [\"a cat\", \"🚀\"], \"model\": \"m\"}");
        assertThat(response.status()).isEqualTo(200);
        JsonNode data = response.json().get("data");
        assertThat(data.get(0).get("index").asInt()).isEqualTo(0);
        assertThat(data.get(1).get("index").asInt()).isEqualTo(1);
        Vectors.assertSameVector("0", JavaScriptClientsTest.floats(data.get(0).get("embedding")), expected("a cat"));
        Vectors.assertSameVector("1", JavaScriptClientsTest.floats(data.get(1).get("embedding")), expected("🚀"));
    }

    @Test
    void pingAnswersAsHealthOnceTheModelIsReady() {
        HttpJson.Response ping = http.get("/ping");
        assertThat(ping.status()).isEqualTo(200);
        assertThat(ping.body()).isEmpty();
    }

    @Test
    void embedsAListInOrder() {
        HttpJson.Response response = http.post("/embed", "{\"inputs\": [\"a cat\", \"저는 학생입니다.\", \"🚀\"]}");
        assertThat(response.status()).isEqualTo(200);
        Vectors.assertSameVector("0", response.vector(0), expected("a cat"));
        Vectors.assertSameVector("1", response.vector(1), expected("저는 학생입니다."));
        Vectors.assertSameVector("2", response.vector(2), expected("🚀"));
    }

    @Test
    void overLongInputWithTruncationOffIs422() {
        String text = "word ".repeat(400);
        HttpJson.Response response = http.post("/embed", "{\"inputs\": \"" + text + "\", \"truncate\": false}");
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().get("error_type").asString()).isEqualTo("Validation");
        assertThat(response.json().get("error").asString()).contains("256");
        HttpJson.Response truncated = http.post("/embed", "{\"inputs\": \"" + text + "\", \"truncate\": true}");
        assertThat(truncated.status()).isEqualTo(200);
    }

    @Test
    void openAiRouteReturnsUsageAndZeroBasedIndices() {
        HttpJson.Response response = http.post("/v1/embeddings", "{\"input\": [\"hello\", \"world\"], \"model\": \"m\"}");
        assertThat(response.status()).isEqualTo(200);
        JsonNode json = response.json();
        assertThat(json.get("data").get(1).get("index").asInt()).isEqualTo(1);
        assertThat(json.get("usage").get("prompt_tokens").asInt()).isEqualTo(6);
        assertThat(json.get("model").asString()).isEqualTo("m");
    }

    @Test
    void tokenizeInfoAndProbesDescribeTheLoadedModel() {
        JsonNode tokens = http.post("/tokenize", "{\"inputs\": \"Hello world\"}").json().get(0);
        assertThat(tokens.get(0).get("special").asBoolean()).isTrue();
        assertThat(tokens.get(1).get("text").asString()).isEqualTo("Hello");
        assertThat(tokens.get(1).get("start").asInt()).isEqualTo(0);
        assertThat(tokens.get(1).get("stop").asInt()).isEqualTo(5);
        JsonNode info = http.get("/info").json();
        assertThat(info.get("max_input_length").asInt()).isEqualTo(256);
        assertThat(management.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(management.get("/actuator/health/liveness").status()).isEqualTo(200);
    }

    @Test
    void thePublicPortServesTheApiButNoActuatorEndpoint() {
        for (String path : new String[] {"/actuator/health", "/actuator/health/readiness", "/actuator/prometheus",
                "/actuator"}) {
            assertThat(http.get(path).status()).as(path).isEqualTo(404);
        }
        HttpJson.Response health = http.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).as("TEI's health answers 200 with an empty body").isEmpty();
        HttpJson.Response details = management.get("/actuator/health");
        assertThat(details.status()).isEqualTo(200);
        assertThat(details.json().path("components").has("inferenceWorker")).isTrue();
    }

    @Test
    void malformedJsonIs400AndWrongTypesAre422() {
        BadInputCatalogueTest.assertTei(http.post("/embed", "{\"inputs\": "), 400, "Empty", "not valid JSON");
        BadInputCatalogueTest.assertTei(http.post("/embed", "{\"inputs\": \"\"}"), 400, "Empty", "cannot be empty");
        BadInputCatalogueTest.assertTei(http.post("/embed", "{\"inputs\": 5}"), 422, "Validation", "`inputs`");
        HttpJson.Response ok = http.post("/embed", "{\"inputs\": \"ok\"}");
        assertThat(ok.status()).isEqualTo(200);
        Vectors.assertSameVector("ok", ok.vector(0), expected("ok"));
    }
}
