package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.embedserve.error.InferenceException;
import io.embedserve.error.OverloadedException;
import io.embedserve.error.RequestTimeoutException;
import io.embedserve.error.TokenizerException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

@WebMvcTest(properties = "logging.level.io.embedserve.api=DEBUG")
@Import(ApiTestConfig.class)
@ExtendWith(OutputCaptureExtension.class)
class TeiErrorResponsesTest extends ApiSliceTest {

    ResultActions embed(String json) throws Exception {
        return embed(json.getBytes(StandardCharsets.UTF_8));
    }

    ResultActions embed(byte[] body) throws Exception {
        return postJson("/embed", body);
    }

    static void teiError(ResultActions result, int status, String errorType) throws Exception {
        result.andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.error_type").value(errorType))
                .andExpect(jsonPath("$.error").isString());
    }

    @Test
    void returns400WhenJsonIsMalformed() throws Exception {
        teiError(embed("{\"inputs\": \"a\""), 400, "Empty");
        embed("{\"inputs\": \"a\"").andExpect(jsonPath("$.error", startsWith("Request body is not valid JSON")))
                .andExpect(jsonPath("$.error", not(containsString("TeiController"))));
    }

    @Test
    void returns400ForDuplicateKeysAsTeiDoes() throws Exception {
        teiError(embed("{\"inputs\": \"a\", \"inputs\": \"b\"}"), 400, "Empty");
        embed("{\"inputs\": \"a\", \"normalize\": true, \"normalize\": false}")
                .andExpect(jsonPath("$.error", containsString("Duplicate")));
        teiError(embed("{\"inputs\": {\"x\": 1, \"x\": 2}}"), 400, "Empty");
        embed("{\"inputs\": {\"x\": 1, \"x\": 2}}").andExpect(jsonPath("$.error", containsString("Duplicate Object property \"x\"")));
        postJson("/v1/embeddings", "{\"input\": \"a\", \"input\": \"b\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error.type").value("invalid_request_error"));
        assertThat(model.lastInputs).as("nothing was embedded").isNull();
    }

    @Test
    void returns400WhenBodyIsMissing() throws Exception {
        teiError(embed(new byte[0]), 400, "Empty");
    }

    @Test
    void returns400WhenBodyIsNotUtf8() throws Exception {
        byte[] body = {'{', '"', 'i', 'n', 'p', 'u', 't', 's', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'};
        teiError(embed(body), 400, "Empty");
        embed(body).andExpect(jsonPath("$.error", containsString("UTF-8")));
    }

    @Test
    void returns400WhenInputsIsAnEmptyString() throws Exception {
        teiError(embed("{\"inputs\": \"\"}"), 400, "Empty");
        embed("{\"inputs\": \"\"}").andExpect(jsonPath("$.error").value("`inputs` cannot be empty"));
    }

    @Test
    void returns400WhenInputsIsAnEmptyList() throws Exception {
        teiError(embed("{\"inputs\": []}"), 400, "Empty");
    }

    @Test
    void returns400WhenOneInputOfAListIsEmpty() throws Exception {
        embed("{\"inputs\": [\"a\", \"\"]}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value("`inputs[1]` cannot be empty"));
        embed("{\"inputs\": [[1], []]}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_type").value("Empty"))
                .andExpect(jsonPath("$.error").value("`inputs[1]` cannot be empty"));
    }

    @Test
    void returns422WhenInputsIsMissing() throws Exception {
        teiError(embed("{\"normalize\": true}"), 422, "Validation");
        embed("{}").andExpect(jsonPath("$.error").value("missing field `inputs`"));
    }

    @Test
    void returns422WhenBodyIsNotAnObject() throws Exception {
        teiError(embed("[\"a\"]"), 422, "Validation");
    }

    @Test
    void returns422WhenInputsIsANumber() throws Exception {
        teiError(embed("{\"inputs\": 42}"), 422, "Validation");
    }

    @Test
    void returns422WhenInputsHoldsAnObject() throws Exception {
        teiError(embed("{\"inputs\": [{\"text\": \"a\"}]}"), 422, "Validation");
        embed("{\"inputs\": [{\"text\": \"a\"}]}")
                .andExpect(jsonPath("$.error").value("`inputs[0]` must be a string or a list of token ids, got an object"));
    }

    @Test
    void returns422WhenAListMixesStringsAndNumbers() throws Exception {
        teiError(embed("{\"inputs\": [\"a\", 1]}"), 422, "Validation");
        teiError(embed("{\"inputs\": [1, \"a\"]}"), 422, "Validation");
    }

    @Test
    void returns422WhenATokenIdIsNegativeTooLargeOrAFloat() throws Exception {
        teiError(embed("{\"inputs\": [1, -1]}"), 422, "Validation");
        teiError(embed("{\"inputs\": [[1, 4294967296]]}"), 422, "Validation");
        teiError(embed("{\"inputs\": [1.5]}"), 422, "Validation");
        embed("{\"inputs\": [1, -1]}").andExpect(jsonPath("$.error", startsWith("`inputs[1]` must be a token id")));
    }

    @Test
    void returns422WhenAStringHoldsAnUnpairedSurrogate() throws Exception {
        teiError(embed("{\"inputs\": \"a \\ud800 b\"}"), 422, "Validation");
    }

    @Test
    void returns422WhenAnOptionHasTheWrongType() throws Exception {
        teiError(embed("{\"inputs\": \"a\", \"normalize\": \"yes\"}"), 422, "Validation");
        teiError(embed("{\"inputs\": \"a\", \"dimensions\": 1.5}"), 422, "Validation");
        teiError(embed("{\"inputs\": \"a\", \"truncation_direction\": \"middle\"}"), 422, "Validation");
    }

    @Test
    void returns422WhenDimensionsIsZeroOrOverTheHiddenSize() throws Exception {
        teiError(embed("{\"inputs\": \"a\", \"dimensions\": 0}"), 422, "Validation");
        teiError(embed("{\"inputs\": \"a\", \"dimensions\": 5}"), 422, "Validation");
        embed("{\"inputs\": \"a\", \"dimensions\": 5}").andExpect(jsonPath("$.error", containsString("between 1 and 4")));
    }

    @Test
    void returns422NamingTheLimitWhenThereAreTooManyInputs() throws Exception {
        String inputs = "\"a\",".repeat(32) + "\"a\"";
        teiError(embed("{\"inputs\": [" + inputs + "]}"), 422, "Validation");
        embed("{\"inputs\": [" + inputs + "]}")
                .andExpect(jsonPath("$.error", startsWith("batch size 33 > maximum allowed batch size 32")));
    }

    @Test
    void acceptsExactlyTheClientBatchLimit() throws Exception {
        embed("{\"inputs\": [" + "\"a\",".repeat(31) + "\"a\"]}").andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(32));
        assertThat(model.lastInputs).hasSize(32);
    }

    @Test
    void returns413WithTeiJsonWhenBodyIsOverThePayloadLimit() throws Exception {
        String big = "a".repeat(2 * 1024 * 1024);
        teiError(embed("{\"inputs\": \"" + big + "\"}"), 413, "Validation");
        embed("{\"inputs\": \"" + big + "\"}").andExpect(jsonPath("$.error", containsString("payload limit")));
    }

    @Test
    void mapsServiceFailuresToTeiStatuses() throws Exception {
        model.failure = new OverloadedException("Model is overloaded");
        teiError(embed("{\"inputs\": \"a\"}"), 429, "Overloaded");
        model.failure = new InferenceException("Inference failed");
        teiError(embed("{\"inputs\": \"a\"}"), 424, "Backend");
        model.failure = new TokenizerException("tokenizer error");
        teiError(embed("{\"inputs\": \"a\"}"), 422, "Tokenizer");
        model.failure = null;
        model.ready = false;
        teiError(embed("{\"inputs\": \"a\"}"), 503, "Unhealthy");
    }

    @Test
    void aRequestThatTimedOutInTheQueueIs503WithRetryAfter() throws Exception {
        model.failure = new RequestTimeoutException("No answer within 60000 ms (REQUEST_TIMEOUT)");
        teiError(embed("{\"inputs\": \"a\"}"), 503, "Overloaded");
        embed("{\"inputs\": \"a\"}").andExpect(header().string("Retry-After", ApiExceptionHandler.RETRY_AFTER_SECONDS));
        postJson("/v1/embeddings", "{\"input\": \"a\"}").andExpect(status().is(503))
                .andExpect(header().exists("Retry-After"))
                .andExpect(jsonPath("$.error.code").value("request_timeout"));
    }

    @Test
    void returns500WithAGenericMessageOnABug(CapturedOutput log) throws Exception {
        model.failure = new IllegalStateException("secret internal detail");
        teiError(embed("{\"inputs\": \"a\"}"), 500, "Backend");
        MvcResult result = embed("{\"inputs\": \"a\"}")
                .andExpect(jsonPath("$.error", startsWith("Internal server error")))
                .andExpect(content().string(not(containsString("secret")))).andReturn();
        String id = result.getResponse().getHeader(RequestIdFilter.HEADER);
        assertThat(id).isNotBlank();
        assertThat(result.getResponse().getContentAsString()).contains(id);
        assertThat(log.getAll()).contains("request id " + id).contains("secret internal detail");
    }

    @Test
    void returns424WithAGenericMessageAndKeepsTheModelsTextForTheLog(CapturedOutput log) throws Exception {
        String torchText = "The following operation failed in the TorchScript interpreter: /opt/djl/libtorch.so";
        model.failure = new InferenceException("Inference failed for a batch of 1: " + torchText,
                new IllegalStateException(torchText));
        MvcResult result = embed("{\"inputs\": \"a\"}").andExpect(status().is(424))
                .andExpect(jsonPath("$.error_type").value("Backend"))
                .andExpect(content().string(not(containsString("TorchScript"))))
                .andExpect(content().string(not(containsString("libtorch")))).andReturn();
        String id = result.getResponse().getHeader(RequestIdFilter.HEADER);
        assertThat(id).isNotBlank();
        assertThat(result.getResponse().getContentAsString()).contains("request id " + id);
        assertThat(log.getAll()).contains("[request id " + id + "]").contains(torchText);

        postJson("/v1/embeddings", "{\"input\": \"a\"}").andExpect(status().is(424))
                .andExpect(header().exists(RequestIdFilter.HEADER))
                .andExpect(jsonPath("$.error.code").value("inference_failed"))
                .andExpect(content().string(not(containsString("TorchScript"))));
    }

    @Test
    void clientTextIsLoggedWithLineBreaksEscaped(CapturedOutput log) throws Exception {
        String forged = "x\r\n2026-01-01 ERROR forged line";
        embed("{\"inputs\": \"a\", \"truncation_direction\": " + quote(forged) + "}").andExpect(status().is(422));

        assertThat(log.getAll()).contains("x\\r\\n2026-01-01 ERROR forged line")
                .doesNotContain("\n2026-01-01 ERROR forged line");
    }

    private static String quote(String text) {
        return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(text);
    }

    @Test
    void returns405WithTeiJsonForTheWrongMethod() throws Exception {
        teiError(mvc.perform(get("/embed")), 405, "Validation");
        mvc.perform(get("/embed")).andExpect(jsonPath("$.error").value("GET is not allowed on /embed; use POST."))
                .andExpect(header().string("Allow", "POST"));
    }

    @Test
    void returns415WithTeiJsonWhenContentTypeIsNotJson() throws Exception {
        teiError(mvc.perform(post("/embed").contentType(MediaType.TEXT_PLAIN).content("{\"inputs\": \"a\"}")), 415,
                "Validation");
    }

    @Test
    void returns404NotFoundInOurOwnWordsForAnUnknownRoute() throws Exception {
        teiError(postJson("/embed_nothing", "{}"), 404, "NotFound");
        postJson("/embed_nothing", "{}")
                .andExpect(jsonPath("$.error", startsWith("Not found: POST /embed_nothing is not a route")))
                .andExpect(jsonPath("$.error", containsString("POST /embed")))
                .andExpect(jsonPath("$.error", not(containsString("static resource"))));
        teiError(mvc.perform(get("/nothing/here")), 404, "NotFound");
    }

    @Test
    void returns404InOpenAiShapeForAnUnknownOpenAiRoute() throws Exception {
        postJson("/v1/nothing", "{}").andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error.type").value("invalid_request_error"))
                .andExpect(jsonPath("$.error.code").value("unknown_url"))
                .andExpect(jsonPath("$.error.message", startsWith("Not found: POST /v1/nothing")));
    }
}
