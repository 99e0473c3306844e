package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.embedserve.config.ServingProperties;
import io.embedserve.inference.EmbedInput;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The JSON parser's limits: every valid request within the payload limit parses, however long its
 * one text; absurd nesting, numbers and field names are refused by the parser as a 400 in the
 * route's error shape, before any of it reaches the model.
 */
@WebMvcTest
@Import(ApiTestConfig.class)
class JsonReadLimitsTest extends ApiSliceTest {

    /** Far beyond any request a client means to send, and far below what would strain the parser. */
    static final int ABSURD = 1_000;
    static final String OVER_A_LIMIT = "Request body is over a JSON parsing limit: ";

    @Autowired
    ServingProperties serving;

    static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    @Test
    void oneTextAsLongAsThePayloadLimitAllowsIsParsedWhole() throws Exception {
        String head = "{\"inputs\": \"";
        String tail = "\"}";
        int textLength = (int) serving.payloadLimit().toBytes() - head.length() - tail.length();
        byte[] body = (head + "a".repeat(textLength) + tail).getBytes(StandardCharsets.UTF_8);
        assertThat((long) body.length).isEqualTo(serving.payloadLimit().toBytes());

        postJson("/embed", body).andExpect(status().isOk());

        assertThat(model.lastInputs).hasSize(1);
        assertThat(((EmbedInput.Text) model.lastInputs.get(0)).text()).hasSize(textLength);
    }

    @Test
    void theOpenAiRouteParsesAsLongATextToo() throws Exception {
        String head = "{\"input\": \"";
        String tail = "\", \"model\": \"m\"}";
        int textLength = (int) serving.payloadLimit().toBytes() - head.length() - tail.length();

        postJson("/v1/embeddings", head + "b".repeat(textLength) + tail).andExpect(status().isOk())
                .andExpect(jsonPath("$.data.length()").value(1));

        assertThat(((EmbedInput.Text) model.lastInputs.get(0)).text()).hasSize(textLength);
    }

    @Test
    void tokenIdsOfInt64LengthAndExtraFieldsOfAFewLevelsParse() throws Exception {
        // Parsed, then refused by the request rules (an id past the vocabulary, a list too deep):
        // a 422 shows that the parser let them through.
        postJson("/embed", "{\"inputs\": [[9223372036854775807]]}").andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.error_type").value("Validation"))
                .andExpect(jsonPath("$.error", org.hamcrest.Matchers.containsString("9223372036854775807")));
        postJson("/embed", "{\"inputs\": " + nested(8) + "}").andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.error_type").value("Validation"))
                .andExpect(jsonPath("$.error", org.hamcrest.Matchers.containsString("`inputs")));
        postJson("/embed", "{\"inputs\": \"a\", \"client_metadata\": {\"a\": {\"b\": {\"c\": [1, 2.5e-3]}}}}")
                .andExpect(status().isOk())
                .andExpect(content().json("[[0.24253562,0.9701425,0.0,0.0]]", JsonCompareMode.STRICT));
    }

    @Test
    void absurdNestingIs400InTeisShape() throws Exception {
        assertTeiLimitError(postJson("/embed", "{\"inputs\": " + nested(ABSURD) + "}"),
                "Document nesting depth \\(\\d+\\) exceeds the maximum allowed \\(\\d+\\)");
        assertThat(model.lastInputs).as("nothing reached the model").isNull();
    }

    @Test
    void aGiantNumberIs400InTeisShape() throws Exception {
        assertTeiLimitError(postJson("/embed", "{\"inputs\": [[" + "7".repeat(ABSURD) + "]]}"),
                "Number value length \\(\\d+\\) exceeds the maximum allowed \\(\\d+\\)");
        assertTeiLimitError(postJson("/embed", "{\"inputs\": \"a\", \"dimensions\": 0." + "5".repeat(ABSURD) + "}"),
                "Number value length \\(\\d+\\) exceeds the maximum allowed \\(\\d+\\)");
        assertThat(model.lastInputs).isNull();
    }

    @Test
    void aGiantFieldNameIs400InTeisShape() throws Exception {
        assertTeiLimitError(postJson("/embed", "{\"" + "k".repeat(ABSURD) + "\": 1, \"inputs\": \"a\"}"),
                "Name length \\(\\d+\\) exceeds the maximum allowed \\(\\d+\\)");
    }

    @Test
    void absurdNestingIs400InOpenAisShape() throws Exception {
        postJson("/v1/embeddings", "{\"input\": " + nested(ABSURD) + ", \"model\": \"m\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.length()").value(1))
                .andExpect(jsonPath("$.error.length()").value(4))
                .andExpect(jsonPath("$.error.type").value("invalid_request_error"))
                .andExpect(jsonPath("$.error.code").value("empty_input"))
                .andExpect(jsonPath("$.error.param").isEmpty())
                .andExpect(jsonPath("$.error.message", matchesPattern(OVER_A_LIMIT
                        + "Document nesting depth \\(\\d+\\) exceeds the maximum allowed \\(\\d+\\)")));
    }

    static void assertTeiLimitError(ResultActions result, String jacksonMessage) throws Exception {
        result.andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.length()").value(2))
                .andExpect(jsonPath("$.error_type").value("Empty"))
                .andExpect(jsonPath("$.error", matchesPattern(OVER_A_LIMIT + jacksonMessage)));
    }
}
