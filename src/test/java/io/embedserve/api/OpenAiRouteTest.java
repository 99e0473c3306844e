package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.embedserve.error.OverloadedException;
import io.embedserve.inference.EmbedInput;
import org.junit.jupiter.api.Test;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.ResultActions;

@WebMvcTest
@Import(ApiTestConfig.class)
class OpenAiRouteTest extends ApiSliceTest {

    ResultActions embeddings(String json) throws Exception {
        return postJson("/v1/embeddings", json);
    }

    @Test
    void answersInOpenAiShapeWithZeroBasedIndexAndUsage() throws Exception {
        embeddings("{\"input\": [\"a b c\", \"a\"], \"model\": \"my-model\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.object").value("list"))
                .andExpect(jsonPath("$.model").value("my-model"))
                .andExpect(jsonPath("$.data.length()").value(2))
                .andExpect(jsonPath("$.data[0].object").value("embedding"))
                .andExpect(jsonPath("$.data[0].index").value(0))
                .andExpect(jsonPath("$.data[1].index").value(1))
                .andExpect(jsonPath("$.data[0].embedding[0]").value(closeTo(0.6, 1e-6)))
                .andExpect(jsonPath("$.usage.prompt_tokens").value(4))
                .andExpect(jsonPath("$.usage.total_tokens").value(4));
        assertThat(model.lastOptions.normalize()).isTrue();
    }

    /** TEI routes POST /embeddings to its OpenAI handler: the same answer, and errors in OpenAI's shape. */
    @Test
    void theEmbeddingsAliasAnswersAsV1EmbeddingsDoes() throws Exception {
        String body = "{\"input\": [\"a b c\", \"a\"], \"model\": \"my-model\", \"dimensions\": 2}";
        String v1 = embeddings(body).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        postJson("/embeddings", body).andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content().json(v1, true));
        postJson("/embeddings", "{\"input\": 5}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.error.type").value("invalid_request_error"))
                .andExpect(jsonPath("$.error.code").value("invalid_value"));
        postJson("/embeddings", "{\"input\": []}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error.type").value("invalid_request_error"));
        mvc.perform(get("/embeddings")).andExpect(status().isMethodNotAllowed())
                .andExpect(jsonPath("$.error.type").value("invalid_request_error"));
    }

    @Test
    void echoesTheLoadedModelIdWhenNoModelIsGiven() throws Exception {
        embeddings("{\"input\": \"a\"}").andExpect(jsonPath("$.model").value("test-org/test-model"));
    }

    @Test
    void acceptsTokenIdInputs() throws Exception {
        embeddings("{\"input\": [[1, 2, 3], [4]]}").andExpect(status().isOk())
                .andExpect(jsonPath("$.data.length()").value(2));
        assertThat(((EmbedInput.TokenIds) model.lastInputs.get(0)).ids()).containsExactly(1, 2, 3);
    }

    /** [0.6, 0.8] as little-endian float32 is 9a 99 19 3f  cd cc 4c 3f, which is base64 "mpkZP83MTD8=". */
    @Test
    void encodesBase64AsLittleEndianFloat32() throws Exception {
        embeddings("{\"input\": \"a b c\", \"encoding_format\": \"base64\", \"dimensions\": 2}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.data[0].embedding").value("mpkZP83MTD8="));
        assertThat(model.lastOptions.dimensions()).isEqualTo(2);
    }

    @Test
    void returnsOpenAiErrorShapeForValidationErrors() throws Exception {
        embeddings("{\"input\": 5}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.error.message").value("`input` must be a string, a list of strings or a list of token ids, got the number 5"))
                .andExpect(jsonPath("$.error.type").value("invalid_request_error"))
                .andExpect(jsonPath("$.error.param").value(nullValue()))
                .andExpect(jsonPath("$.error.code").value("invalid_value"));
    }

    @Test
    void returns400InOpenAiShapeForEmptyInput() throws Exception {
        embeddings("{\"input\": \"\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error.type").value("invalid_request_error"));
        embeddings("{\"input\": ").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error.message").isString());
    }

    @Test
    void returns422ForAnUnknownEncodingFormat() throws Exception {
        embeddings("{\"input\": \"a\", \"encoding_format\": \"int8\"}").andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.error.type").value("invalid_request_error"));
    }

    @Test
    void returns429InOpenAiShapeWhenOverloaded() throws Exception {
        model.failure = new OverloadedException("Model is overloaded");
        embeddings("{\"input\": \"a\"}").andExpect(status().isTooManyRequests())
                .andExpect(jsonPath("$.error.type").value("rate_limit_error"));
    }

    @Test
    void returns413InOpenAiShapeWhenBodyIsOverThePayloadLimit() throws Exception {
        embeddings("{\"input\": \"" + "a".repeat(2 * 1024 * 1024) + "\"}")
                .andExpect(status().isContentTooLarge())
                .andExpect(jsonPath("$.error.code").value("payload_too_large"));
    }

    @Test
    void returns405InOpenAiShapeForTheWrongMethod() throws Exception {
        mvc.perform(get("/v1/embeddings")).andExpect(status().isMethodNotAllowed())
                .andExpect(jsonPath("$.error.type").value("invalid_request_error"));
    }
}
