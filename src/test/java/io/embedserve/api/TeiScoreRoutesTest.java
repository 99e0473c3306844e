package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.embedserve.inference.CrossEncoderInput;
import io.embedserve.inference.TruncationDirection;
import org.junit.jupiter.api.Test;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.json.JsonCompareMode;

/** /rerank and /predict, and what /info and /health say about the cross-encoder, on a hand-written one. */
@WebMvcTest(properties = "embedserve.serving.max-client-batch-size=4")
@Import(ApiTestConfig.class)
class TeiScoreRoutesTest extends ApiSliceTest {

    static final String QUERY = "\"query\": \"the cat sat on a mat\"";

    @Test
    void ranksTextsBestFirstWithTheirIndicesAndTeisHeaders() throws Exception {
        postJson("/rerank", "{" + QUERY + ", \"texts\": [\"a dog\", \"nothing here\", \"the cat sat\", \"a mat\"]}")
                .andExpect(status().isOk())
                .andExpect(content().json("[{\"index\": 2, \"score\": 0.3}, {\"index\": 3, \"score\": 0.2},"
                        + " {\"index\": 0, \"score\": 0.1}, {\"index\": 1, \"score\": 0.0}]", JsonCompareMode.STRICT))
                .andExpect(jsonPath("$[0].text").doesNotExist())
                .andExpect(header().string("x-compute-type", "cpu"))
                // the query's 20 characters once per text, and the texts' 5 + 12 + 11 + 5
                .andExpect(header().string("x-compute-characters", "113"))
                .andExpect(header().string("x-compute-tokens", "4"))
                .andExpect(header().exists("x-inference-time"));
        assertThat(crossEncoder.lastOptions.rawScores()).isFalse();
        assertThat(crossEncoder.lastOptions.truncate()).isTrue();
        assertThat(crossEncoder.lastOptions.direction()).isEqualTo(TruncationDirection.RIGHT);
    }

    @Test
    void equalScoresPutTheLaterTextFirstAsTeisReversedSortDoes() throws Exception {
        postJson("/rerank", "{" + QUERY + ", \"texts\": [\"a\", \"x\", \"cat\", \"y\"]}")
                .andExpect(content().json("[{\"index\": 2, \"score\": 0.1}, {\"index\": 0, \"score\": 0.1},"
                        + " {\"index\": 3, \"score\": 0.0}, {\"index\": 1, \"score\": 0.0}]", JsonCompareMode.STRICT));
    }

    @Test
    void returnsTheTextsAndRawScoresWhenAsked() throws Exception {
        postJson("/rerank", "{" + QUERY + ", \"texts\": [\"a dog\", \"the cat\"], \"return_text\": true,"
                + " \"raw_scores\": true, \"truncate\": false, \"truncation_direction\": \"Left\"}")
                .andExpect(status().isOk())
                .andExpect(content().json("[{\"index\": 1, \"text\": \"the cat\", \"score\": 2.0},"
                        + " {\"index\": 0, \"text\": \"a dog\", \"score\": 1.0}]", JsonCompareMode.STRICT));
        assertThat(crossEncoder.lastOptions.truncate()).isFalse();
        assertThat(crossEncoder.lastOptions.direction()).isEqualTo(TruncationDirection.LEFT);
    }

    @Test
    void predictAnswersATextOrAPairWithOneListAndABatchWithOneListPerInput() throws Exception {
        postJson("/predict", "{\"inputs\": \"one two three\"}")
                .andExpect(status().isOk())
                .andExpect(content().json("[{\"score\": 0.7, \"label\": \"short\"}, {\"score\": 0.3, \"label\": \"long\"}]",
                        JsonCompareMode.STRICT));
        assertThat(crossEncoder.lastInputs).containsExactly(new CrossEncoderInput.Text("one two three"));

        postJson("/predict", "{\"inputs\": [\"one two three four\", \"five six seven\"], \"raw_scores\": true}")
                .andExpect(content().json("[{\"score\": 7.0, \"label\": \"long\"}, {\"score\": 3.0, \"label\": \"short\"}]",
                        JsonCompareMode.STRICT));
        assertThat(crossEncoder.lastInputs)
                .containsExactly(new CrossEncoderInput.Pair("one two three four", "five six seven"));

        postJson("/predict", "{\"inputs\": [[\"one\"], [\"one two\", \"three four five six\"]]}")
                .andExpect(content().json("[[{\"score\": 0.9, \"label\": \"short\"}, {\"score\": 0.1, \"label\": \"long\"}],"
                        + " [{\"score\": 0.6, \"label\": \"long\"}, {\"score\": 0.4, \"label\": \"short\"}]]",
                        JsonCompareMode.STRICT));
        assertThat(crossEncoder.lastInputs).containsExactly(new CrossEncoderInput.Text("one"),
                new CrossEncoderInput.Pair("one two", "three four five six"));

        postJson("/predict", "{\"inputs\": [\"one\"]}")
                .andExpect(content().json("[{\"score\": 0.9, \"label\": \"short\"}, {\"score\": 0.1, \"label\": \"long\"}]",
                        JsonCompareMode.STRICT));
    }

    static String teiError(String message, String type) {
        return "{\"error\": \"" + message.replace("\"", "\\\"") + "\", \"error_type\": \"" + type + "\"}";
    }

    @Test
    void refusesMalformedRerankRequestsWithTeisStatusesAndExactBodies() throws Exception {
        postJson("/rerank", "{\"texts\": [\"a\"]}").andExpect(status().isUnprocessableContent())
                .andExpect(content().json(teiError("missing field `query`", "Validation"), JsonCompareMode.STRICT));
        postJson("/rerank", "{" + QUERY + "}").andExpect(status().isUnprocessableContent())
                .andExpect(content().json(teiError("missing field `texts`", "Validation"), JsonCompareMode.STRICT));
        postJson("/rerank", "{" + QUERY + ", \"texts\": []}").andExpect(status().isBadRequest())
                .andExpect(content().json(teiError("`texts` cannot be empty", "Empty"), JsonCompareMode.STRICT));
        postJson("/rerank", "{" + QUERY + ", \"texts\": \"a\"}").andExpect(status().isUnprocessableContent())
                .andExpect(content().json(teiError("`texts` must be a list of strings, got a string", "Validation"),
                        JsonCompareMode.STRICT));
        postJson("/rerank", "{" + QUERY + ", \"texts\": [\"a\", 7]}").andExpect(status().isUnprocessableContent())
                .andExpect(content().json(teiError("`texts[1]` must be a string, got the number 7", "Validation"),
                        JsonCompareMode.STRICT));
        postJson("/rerank", "{" + QUERY + ", \"texts\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().json(teiError("batch size 5 > maximum allowed batch size 4 (MAX_CLIENT_BATCH_SIZE;"
                        + " or set AUTO_SPLIT=true to let the server split it)", "Validation"), JsonCompareMode.STRICT));
        postJson("/rerank", "{" + QUERY + ", \"texts\": [\"a\"], \"return_text\": \"yes\"}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().json(teiError("`return_text` must be true or false, got a string", "Validation"),
                        JsonCompareMode.STRICT));
        postJson("/rerank", "{" + QUERY + ", \"texts\": [\"a\"], \"raw_scores\": 1}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().json(teiError("`raw_scores` must be true or false, got the number 1", "Validation"),
                        JsonCompareMode.STRICT));
    }

    @Test
    void refusesMalformedPredictRequestsWithTeisStatusesAndExactBodies() throws Exception {
        postJson("/predict", "{\"inputs\": []}").andExpect(status().isBadRequest())
                .andExpect(content().json(teiError("`inputs` cannot be empty", "Empty"), JsonCompareMode.STRICT));
        postJson("/predict", "{\"inputs\": [\"a\", \"b\", \"c\"]}").andExpect(status().isUnprocessableContent())
                .andExpect(content().json(teiError("`inputs` must be a string, a pair of strings [string, string] or a"
                        + " batch of strings and pairs [[string], [string, string], ...], got a list of 3 items",
                        "Validation"), JsonCompareMode.STRICT));
        postJson("/predict", "{\"inputs\": [[\"a\"], \"b\"]}").andExpect(status().isUnprocessableContent())
                .andExpect(content().json(teiError("`inputs[1]` must be a list of one or two strings, got a string",
                        "Validation"), JsonCompareMode.STRICT));
        postJson("/predict", "{\"inputs\": {\"text\": \"a\"}}").andExpect(status().isUnprocessableContent())
                .andExpect(content().json(teiError("`inputs` must be a string, a pair of strings [string, string] or a"
                        + " batch of strings and pairs [[string], [string, string], ...], got an object", "Validation"),
                        JsonCompareMode.STRICT));
        postJson("/predict", "{\"inputs\": [[\"a\"], [\"b\"], [\"c\"], [\"d\"], [\"e\"]]}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.error").value("batch size 5 > maximum allowed batch size 4 (MAX_CLIENT_BATCH_SIZE;"
                        + " or set AUTO_SPLIT=true to let the server split it)"));
    }

    @Test
    void withoutACrossEncoderBothRoutesAnswerTeis424WithItsMessage() throws Exception {
        crossEncoder.served = false;
        postJson("/rerank", "{" + QUERY + ", \"texts\": [\"a\"]}").andExpect(status().isFailedDependency())
                .andExpect(content().json(teiError("model is not a re-ranker model", "Backend"), JsonCompareMode.STRICT));
        postJson("/predict", "{\"inputs\": \"a\"}").andExpect(status().isFailedDependency())
                .andExpect(content().json(teiError("Model is not a classifier model", "Backend"), JsonCompareMode.STRICT));
    }

    @Test
    void infoListsTheRerankerBesideTheEmbeddingModel() throws Exception {
        mvc.perform(get("/info")).andExpect(status().isOk())
                .andExpect(jsonPath("$.model_id").value("test-org/test-model"))
                .andExpect(jsonPath("$.model_type.embedding.pooling").value("mean"))
                .andExpect(jsonPath("$.rerank_model.model_id").value("test-org/test-reranker"))
                .andExpect(jsonPath("$.rerank_model.model_sha").value("fedcba9876543210fedcba9876543210fedcba98"))
                .andExpect(jsonPath("$.rerank_model.model_dtype").value("float32"))
                .andExpect(jsonPath("$.rerank_model.max_input_length").value(16))
                .andExpect(jsonPath("$.rerank_model.model_type.classifier.id2label.0").value("short"))
                .andExpect(jsonPath("$.rerank_model.model_type.classifier.label2id.long").value(1));
        crossEncoder.served = false;
        mvc.perform(get("/info")).andExpect(status().isOk()).andExpect(jsonPath("$.rerank_model").doesNotExist());
    }

    @Test
    void infoDescribesACrossEncoderServedAloneInTeisFields() throws Exception {
        model.served = false;
        mvc.perform(get("/info")).andExpect(status().isOk())
                .andExpect(jsonPath("$.model_id").value("test-org/test-reranker"))
                .andExpect(jsonPath("$.served_model_name").value("test-org/test-reranker"))
                .andExpect(jsonPath("$.model_type.classifier.id2label.1").value("long"))
                .andExpect(jsonPath("$.model_type.embedding").doesNotExist())
                .andExpect(jsonPath("$.max_input_length").value(16))
                .andExpect(jsonPath("$.rerank_model").doesNotExist());
    }

    @Test
    void healthWaitsForTheCrossEncoderToo() throws Exception {
        crossEncoder.ready = false;
        mvc.perform(get("/health")).andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.error_type").value("Unhealthy"));
        postJson("/rerank", "{" + QUERY + ", \"texts\": [\"a\"]}").andExpect(status().isServiceUnavailable());
        crossEncoder.ready = true;
        mvc.perform(get("/health")).andExpect(status().isOk());
    }
}
