package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.embedserve.inference.Admission;
import io.embedserve.testsupport.HubCache;
import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.NativePairTokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * /rerank and /predict on the running service beside /embed, against the double-precision reference of
 * the cross-encoder fed the pairs the Hugging Face tokenizers library lays out and cuts itself.
 */
class RerankOverHttpTest extends RerankServiceTest {

    static final String QUERY = "what is a cat";
    static final List<String> TEXTS = List.of("the cat sat on the mat", "hello world", "a good day", "the cat is good");
    /** Longer than the 38 tokens a pair may have. */
    static final String LONG = String.join(" ", Collections.nCopies(30, "the cat sat"));
    static final double TOLERANCE = 1e-5;

    @Autowired
    Admission admission;

    static String rerankBody(String query, List<String> texts, String options) {
        StringBuilder json = new StringBuilder("{\"query\": ").append(HttpJson.quote(query)).append(", \"texts\": [");
        for (int i = 0; i < texts.size(); i++) {
            json.append(i == 0 ? "" : ", ").append(HttpJson.quote(texts.get(i)));
        }
        return json.append("]").append(options.isEmpty() ? "" : ", " + options).append("}").toString();
    }

    @Test
    void ranksTextsBestFirstByTheSigmoidOfTheReferenceLogit() {
        HttpJson.Response response = http.post("/rerank", rerankBody(QUERY, TEXTS, ""));
        assertThat(response.status()).isEqualTo(200);
        JsonNode ranks = response.json();
        assertThat(ranks).hasSize(TEXTS.size());
        List<Integer> indices = new ArrayList<>();
        double previous = Double.POSITIVE_INFINITY;
        int tokens = 0;
        try (NativePairTokenizer tokenizer = nativeTokenizer(RERANK_MAX_LENGTH, "Right")) {
            for (JsonNode rank : ranks) {
                int index = rank.get("index").asInt();
                indices.add(index);
                NativePairTokenizer.Pair pair = tokenizer.encode(QUERY, TEXTS.get(index));
                tokens += pair.ids().length;
                double score = rank.get("score").asDouble();
                assertThat(score).as("text %d", index).isCloseTo(expectedScore(pair), within(TOLERANCE));
                assertThat(score).as("best first").isLessThanOrEqualTo(previous);
                assertThat(rank.has("text")).isFalse();
                previous = score;
            }
        }
        assertThat(indices).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(response.headers().firstValue("x-compute-type")).hasValue("cpu");
        assertThat(response.headers().firstValue("x-compute-tokens")).hasValue(Integer.toString(tokens));
        assertThat(response.headers().firstValue("x-inference-time")).isPresent();
        assertThat(response.headers().firstValue("x-queue-time")).isPresent();
        assertThat(response.headers().firstValue("x-tokenization-time")).isPresent();
    }

    @Test
    void rawScoresAreTheReferenceLogitsAndReturnTextEchoesEachText() {
        JsonNode ranks = http.post("/rerank", rerankBody(QUERY, TEXTS, "\"raw_scores\": true, \"return_text\": true"))
                .json();
        try (NativePairTokenizer tokenizer = nativeTokenizer(RERANK_MAX_LENGTH, "Right")) {
            for (JsonNode rank : ranks) {
                int index = rank.get("index").asInt();
                NativePairTokenizer.Pair pair = tokenizer.encode(QUERY, TEXTS.get(index));
                assertThat(rank.get("score").asDouble()).isCloseTo(REFERENCE.logits(pair.ids(), pair.typeIds())[0],
                        within(TOLERANCE));
                assertThat(rank.get("text").asString()).isEqualTo(TEXTS.get(index));
            }
        }
    }

    @Test
    void aPairOverTheModelsLengthIsCutFromTheChosenEndLongestTextFirst() {
        for (String side : List.of("Right", "Left")) {
            String options = "\"raw_scores\": true, \"truncation_direction\": \"" + side.toLowerCase() + "\"";
            JsonNode rank = http.post("/rerank", rerankBody(QUERY, List.of(LONG), options)).json().get(0);
            try (NativePairTokenizer tokenizer = nativeTokenizer(RERANK_MAX_LENGTH, side)) {
                NativePairTokenizer.Pair cut = tokenizer.encode(QUERY, LONG);
                assertThat(cut.ids()).hasSize(RERANK_MAX_LENGTH);
                assertThat(rank.get("score").asDouble()).as(side)
                        .isCloseTo(REFERENCE.logits(cut.ids(), cut.typeIds())[0], within(TOLERANCE));
            }
        }
    }

    @Test
    void withTruncationOffAnOverLongPairIs422NamingBothLengths() {
        int length;
        try (NativePairTokenizer whole = nativeTokenizer(100_000, "Right")) {
            length = whole.encode(QUERY, LONG).ids().length;
        }
        HttpJson.Response response = http.post("/rerank", rerankBody(QUERY, List.of("a", LONG), "\"truncate\": false"));
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.body()).isEqualTo("{\"error\":\"`inputs` must have less than " + RERANK_MAX_LENGTH
                + " tokens. Given: " + length + ". Set `truncate` to true to cut it.\",\"error_type\":\"Validation\"}");
    }

    @Test
    void refusesBadRequestsWithTeisStatusesAndExactBodies() {
        assertError(http.post("/rerank", "{\"query\": \"a\", \"texts\": []}"), 400,
                "{\"error\":\"`texts` cannot be empty\",\"error_type\":\"Empty\"}");
        assertError(http.post("/rerank", rerankBody("", List.of("a", ""), "")), 400,
                "{\"error\":\"`inputs` cannot be empty\",\"error_type\":\"Empty\"}");
        assertError(http.post("/rerank", "{\"texts\": [\"a\"]}"), 422,
                "{\"error\":\"missing field `query`\",\"error_type\":\"Validation\"}");
        assertError(http.post("/rerank", rerankBody(QUERY, Collections.nCopies(33, "a"), "")), 422,
                "{\"error\":\"batch size 33 > maximum allowed batch size 32 (MAX_CLIENT_BATCH_SIZE; or set"
                        + " AUTO_SPLIT=true to let the server split it)\",\"error_type\":\"Validation\"}");
        assertError(http.post("/rerank", rerankBody(QUERY, TEXTS, "\"truncation_direction\": \"middle\"")), 422,
                "{\"error\":\"`truncation_direction` must be \\\"right\\\" or \\\"left\\\", got \\\"middle\\\"\","
                        + "\"error_type\":\"Validation\"}");
        assertError(http.post("/predict", "{\"inputs\": [\"a\", \"b\", \"c\"]}"), 422,
                "{\"error\":\"`inputs` must be a string, a pair of strings [string, string] or a batch of strings and"
                        + " pairs [[string], [string, string], ...], got a list of 3 items\",\"error_type\":\"Validation\"}");
        // One empty side of a pair is still a pair to score, as in TEI.
        assertThat(http.post("/rerank", rerankBody("", List.of("a"), "")).status()).isEqualTo(200);
    }

    static void assertError(HttpJson.Response response, int status, String body) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void aRerankOfNTextsNeedsNPermitsAndIsRefused429AtOnceWithoutThem() {
        int spare = 3;
        try (Admission.Admitted held = admission.admit(admission.limit() - spare)) {
            HttpJson.Response refused = http.post("/rerank", rerankBody(QUERY, TEXTS, ""));
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.body()).isEqualTo("{\"error\":\"Model is overloaded: more than 512 inputs in flight"
                    + " (max-concurrent-requests). Retry later.\",\"error_type\":\"Overloaded\"}");
            assertThat(http.post("/rerank", rerankBody(QUERY, TEXTS.subList(0, spare), "")).status()).isEqualTo(200);
        }
        assertThat(http.post("/rerank", rerankBody(QUERY, TEXTS, "")).status()).isEqualTo(200);
    }

    @Test
    void predictScoresATextAloneAndPairsWithTheRerankersOneLabel() {
        JsonNode single = http.post("/predict", "{\"inputs\": \"the cat sat\"}").json();
        try (NativePairTokenizer tokenizer = nativeTokenizer(RERANK_MAX_LENGTH, "Right")) {
            NativePairTokenizer.Pair alone = tokenizer.encode("the cat sat");
            assertThat(single).hasSize(1);
            assertThat(single.get(0).get("label").asString()).isEqualTo("LABEL_0");
            assertThat(single.get(0).get("score").asDouble()).isCloseTo(expectedScore(alone), within(TOLERANCE));

            JsonNode batch = http.post("/predict", "{\"inputs\": [[\"the cat sat\"], [\"" + QUERY + "\", \"hello world\"]],"
                    + " \"raw_scores\": true}").json();
            assertThat(batch).hasSize(2);
            assertThat(batch.get(0).get(0).get("score").asDouble())
                    .isCloseTo(REFERENCE.logits(alone.ids(), alone.typeIds())[0], within(TOLERANCE));
            NativePairTokenizer.Pair pair = tokenizer.encode(QUERY, "hello world");
            assertThat(batch.get(1).get(0).get("score").asDouble())
                    .isCloseTo(REFERENCE.logits(pair.ids(), pair.typeIds())[0], within(TOLERANCE));
        }
    }

    @Test
    void infoDescribesTheEmbeddingModelInTeisFieldsAndTheRerankerBesideIt() {
        JsonNode info = http.get("/info").json();
        assertThat(info.get("model_type").get("embedding").get("pooling").asString()).isEqualTo("mean");
        assertThat(info.get("max_input_length").asInt()).isEqualTo(MiniLmFixture.MAX_SEQ_LENGTH);
        JsonNode reranker = info.get("rerank_model");
        assertThat(reranker.get("model_id").asString()).isEqualTo(RERANK_MODEL_ID);
        assertThat(reranker.get("model_sha").asString()).isEqualTo(HubCache.commitFor(RERANK_MODEL_ID));
        assertThat(reranker.get("model_dtype").asString()).isEqualTo("float32");
        assertThat(reranker.get("max_input_length").asInt()).isEqualTo(RERANK_MAX_LENGTH);
        assertThat(reranker.get("model_type").toString())
                .isEqualTo("{\"reranker\":{\"id2label\":{\"0\":\"LABEL_0\"},\"label2id\":{\"LABEL_0\":0}}}");
        assertThat(reranker.get("dense_layers")).isNotEmpty();
    }

    @Test
    void embeddingsAreServedBesideAndEachModelCountsItsOwnRequestsAndBatches() {
        String before = management.get("/actuator/prometheus").body();
        assertThat(http.post("/embed", "{\"inputs\": \"a cat\"}").status()).isEqualTo(200);
        assertThat(http.post("/rerank", rerankBody(QUERY, TEXTS, "")).status()).isEqualTo(200);
        assertThat(http.post("/predict", "{\"inputs\": \"a cat\"}").status()).isEqualTo(200);
        String after = management.get("/actuator/prometheus").body();
        String rerankOk = "embedserve_requests_total{error_kind=\"none\",outcome=\"success\",route=\"rerank\"}";
        String predictOk = "embedserve_requests_total{error_kind=\"none\",outcome=\"success\",route=\"predict\"}";
        String crossInputs = "embedserve_request_inputs_sum{model=\"cross-encoder\"}";
        String embedInputs = "embedserve_request_inputs_sum{model=\"embedding\"}";
        String crossBatches = "embedserve_batch_size_inputs_sum{model=\"cross-encoder\"}";
        assertThat(PrometheusMetricsTest.sample(after, rerankOk) - PrometheusMetricsTest.sample(before, rerankOk)).isEqualTo(1);
        assertThat(PrometheusMetricsTest.sample(after, predictOk) - PrometheusMetricsTest.sample(before, predictOk)).isEqualTo(1);
        assertThat(PrometheusMetricsTest.sample(after, crossInputs) - PrometheusMetricsTest.sample(before, crossInputs))
                .isEqualTo(TEXTS.size() + 1);
        assertThat(PrometheusMetricsTest.sample(after, embedInputs) - PrometheusMetricsTest.sample(before, embedInputs))
                .isEqualTo(1);
        assertThat(PrometheusMetricsTest.sample(after, crossBatches) - PrometheusMetricsTest.sample(before, crossBatches))
                .isEqualTo(TEXTS.size() + 1);
        assertThat(PrometheusMetricsTest.sample(after, "embedserve_inference_worker_up{model=\"cross-encoder\"}"))
                .isEqualTo(1);
    }
}
