package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.embedserve.testsupport.CrossEncoderCheckpoint;
import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.ModelResources;
import io.embedserve.testsupport.NativePairTokenizer;
import io.embedserve.testsupport.ReferenceCrossEncoder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A cross-encoder as the only model, TEI's way: MODEL_PATH names a three-label NLI classifier as the
 * Hub ships one (RobertaForSequenceClassification, id2label contradiction / entailment / neutral, a
 * tiny random RoBERTa body). /predict serves it with the softmax of the double-precision reference's
 * logits; /rerank, /embed and /v1/embeddings answer what TEI answers for a model of the wrong kind.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"embedserve.inference.exit-on-load-failure=false", "server.address=127.0.0.1"})
class CrossEncoderAloneTest {

    static final CrossEncoderCheckpoint NLI = CrossEncoderCheckpoint.nliRoberta(51);
    static final ReferenceCrossEncoder REFERENCE = new ReferenceCrossEncoder(NLI);
    static final int MAX_LENGTH = 38;
    static Path directory;

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("embedserve.model.path", () -> directory().toString());
    }

    static synchronized Path directory() {
        if (directory == null) {
            Path root = ModelResources.createTempDirectoryDeletedOnExit("embedserve-nli-");
            directory = NLI.writeTo(root.resolve("tiny-nli"));
        }
        return directory;
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    HttpJson http;

    @BeforeEach
    void awaitModel() {
        http = new HttpJson(port);
        http.awaitReady(Duration.ofSeconds(120));
    }

    static double[] softmax(double[] logits) {
        double sum = 0;
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = Math.exp(logits[i]);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    @Test
    void predictGivesEveryLabelItsSoftmaxScoreBestFirst() {
        JsonNode predictions = http.post("/predict", "{\"inputs\": [\"the cat is good\", \"a cat sat on the mat\"]}")
                .json();
        double[] expected;
        try (NativePairTokenizer tokenizer = NativePairTokenizer.of(directory().resolve("tokenizer.json"), MAX_LENGTH,
                "Right")) {
            NativePairTokenizer.Pair pair = tokenizer.encode("the cat is good", "a cat sat on the mat");
            expected = softmax(REFERENCE.logits(pair.ids(), pair.typeIds()));
        }
        assertThat(predictions).hasSize(3);
        List<String> labels = new ArrayList<>();
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode prediction : predictions) {
            String label = prediction.get("label").asString();
            labels.add(label);
            double score = prediction.get("score").asDouble();
            assertThat(score).as(label).isCloseTo(expected[NLI.labels.indexOf(label)], within(1e-5));
            assertThat(score).as("best first").isLessThanOrEqualTo(previous);
            previous = score;
        }
        assertThat(labels).containsExactlyInAnyOrder("contradiction", "entailment", "neutral");
    }

    @Test
    void teisPredictRouteAtTheBaseUrlAndInvocationsIsPredictForAClassifier() {
        String body = "{\"inputs\": [\"the cat is good\", \"a cat sat on the mat\"], \"raw_scores\": true}";
        String viaPredict = http.post("/predict", body).body();
        for (String alias : List.of("/", "/invocations")) {
            HttpJson.Response response = http.post(alias, body);
            assertThat(response.status()).as(alias).isEqualTo(200);
            assertThat(response.body()).as(alias).isEqualTo(viaPredict);
        }
    }

    @Test
    void rerankIsTeis424ForAClassifierWithSeveralLabels() {
        HttpJson.Response response = http.post("/rerank", "{\"query\": \"a\", \"texts\": [\"b\"]}");
        assertThat(response.status()).isEqualTo(424);
        assertThat(response.body()).isEqualTo("{\"error\":\"model is not a re-ranker model: tiny-nli classifies into 3"
                + " labels [contradiction, entailment, neutral]; use /predict\",\"error_type\":\"Backend\"}");
    }

    @Test
    void embeddingRoutesAreTeis424InEachDialect() {
        String message = "Model is not an embedding model: tiny-nli is a cross-encoder"
                + " (RobertaForSequenceClassification); use /rerank or /predict";
        HttpJson.Response embed = http.post("/embed", "{\"inputs\": \"a\"}");
        assertThat(embed.status()).isEqualTo(424);
        assertThat(embed.body()).isEqualTo("{\"error\":\"" + message + "\",\"error_type\":\"Backend\"}");
        String similarity = "{\"inputs\": {\"source_sentence\": \"a\", \"sentences\": [\"b\"]}}";
        assertThat(http.post("/similarity", similarity).status()).isEqualTo(424);
        HttpJson.Response openAi = http.post("/v1/embeddings", "{\"input\": \"a\"}");
        assertThat(openAi.status()).isEqualTo(424);
        assertThat(openAi.json().get("error").get("message").asString()).isEqualTo(message);
        assertThat(openAi.json().get("error").get("code").asString()).isEqualTo("model_not_supported");
    }

    @Test
    void infoDescribesTheClassifierInTeisFieldsAndReadinessIsUp() {
        JsonNode info = http.get("/info").json();
        assertThat(info.get("model_id").asString()).isEqualTo("tiny-nli");
        assertThat(info.get("model_sha").asString()).isEqualTo("local");
        assertThat(info.get("max_input_length").asInt()).isEqualTo(MAX_LENGTH);
        assertThat(info.get("model_type").toString()).isEqualTo("{\"classifier\":{\"id2label\":{"
                + "\"0\":\"contradiction\",\"1\":\"entailment\",\"2\":\"neutral\"},\"label2id\":{\"contradiction\":0,\"entailment\":1,"
                + "\"neutral\":2}}}");
        assertThat(info.has("rerank_model")).isFalse();
        assertThat(new HttpJson(managementPort).get("/actuator/health/readiness").status()).isEqualTo(200);
    }
}
