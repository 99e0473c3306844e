package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.embedserve.inference.EmbedInput;
import io.embedserve.inference.TruncationDirection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.ResultActions;

@WebMvcTest
@Import(ApiTestConfig.class)
class TeiEmbedRouteTest extends ApiSliceTest {

    ResultActions embed(String json) throws Exception {
        return postJson("/embed", json);
    }

    @Test
    void embedsOneStringAsAListOfOneNormalisedVector() throws Exception {
        embed("{\"inputs\": \"a b c\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(1))
                .andExpect(jsonPath("$[0][0]").value(closeTo(0.6, 1e-6)))
                .andExpect(jsonPath("$[0][1]").value(closeTo(0.8, 1e-6)));
        assertThat(model.lastInputs).containsExactly(new EmbedInput.Text("a b c"));
    }

    @Test
    void embedsAListOfStringsInOrder() throws Exception {
        embed("{\"inputs\": [\"a b c\", \"a\"], \"normalize\": false}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0][0]").value(3.0))
                .andExpect(jsonPath("$[1][0]").value(1.0))
                .andExpect(jsonPath("$[1][1]").value(4.0));
    }

    @Test
    void defaultsToNormalizeTruncateRightWithNoDimensionsOrPrompt() throws Exception {
        embed("{\"inputs\": \"a\"}").andExpect(status().isOk());
        assertThat(model.lastOptions.normalize()).isTrue();
        assertThat(model.lastOptions.truncate()).isTrue();
        assertThat(model.lastOptions.direction()).isEqualTo(TruncationDirection.RIGHT);
        assertThat(model.lastOptions.dimensions()).isNull();
        assertThat(model.lastOptions.promptName()).isNull();
    }

    /** TEI's aliases of its predict route; Hugging Face's JavaScript client posts to the base URL. */
    @ParameterizedTest
    @ValueSource(strings = {"/", "/invocations"})
    void servesEmbedAtTeisAliases(String alias) throws Exception {
        String body = "{\"inputs\": [\"a b c\", \"a\"], \"normalize\": false, \"truncation_direction\": \"left\"}";
        String viaEmbed = postJson("/embed", body).andExpect(status().isOk())
                .andExpect(header().exists("x-compute-tokens")).andReturn().getResponse().getContentAsString();
        EmbedInput.Text first = new EmbedInput.Text("a b c");
        postJson(alias, body).andExpect(status().isOk())
                .andExpect(header().string("x-compute-type", "cpu"))
                .andExpect(header().exists("x-compute-tokens"))
                .andExpect(content().json(viaEmbed, JsonCompareMode.STRICT));
        assertThat(model.lastInputs).startsWith(first);
        assertThat(model.lastOptions.normalize()).isFalse();
        assertThat(model.lastOptions.direction()).isEqualTo(TruncationDirection.LEFT);
        postJson(alias, "{\"inputs\": \"\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error_type").value("Empty"));
    }

    @Test
    void passesNormalizeFalseThrough() throws Exception {
        embed("{\"inputs\": \"a b c\", \"normalize\": false}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0][0]").value(3.0));
        assertThat(model.lastOptions.normalize()).isFalse();
    }

    @Test
    void passesTruncationAndDirectionThrough() throws Exception {
        embed("{\"inputs\": \"a\", \"truncate\": false, \"truncation_direction\": \"left\"}")
                .andExpect(status().isOk());
        assertThat(model.lastOptions.truncate()).isFalse();
        assertThat(model.lastOptions.direction()).isEqualTo(TruncationDirection.LEFT);
    }

    @Test
    void acceptsTeiCapitalisedDirection() throws Exception {
        embed("{\"inputs\": \"a\", \"truncation_direction\": \"Left\"}").andExpect(status().isOk());
        assertThat(model.lastOptions.direction()).isEqualTo(TruncationDirection.LEFT);
        embed("{\"inputs\": \"a\", \"truncation_direction\": \"Right\"}").andExpect(status().isOk());
        assertThat(model.lastOptions.direction()).isEqualTo(TruncationDirection.RIGHT);
    }

    @Test
    void passesDimensionsAndPromptNameThrough() throws Exception {
        embed("{\"inputs\": \"a\", \"dimensions\": 2, \"prompt_name\": \"query\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].length()").value(2));
        assertThat(model.lastOptions.dimensions()).isEqualTo(2);
        assertThat(model.lastOptions.promptName()).isEqualTo("query");
    }

    @Test
    void embedsOneListOfTokenIdsAsOneInput() throws Exception {
        embed("{\"inputs\": [0, 5, 7, 2]}").andExpect(status().isOk()).andExpect(jsonPath("$.length()").value(1));
        assertThat(model.lastInputs).hasSize(1);
        assertThat(((EmbedInput.TokenIds) model.lastInputs.get(0)).ids()).containsExactly(0, 5, 7, 2);
    }

    @Test
    void embedsAListOfTokenIdListsAndStringsTogether() throws Exception {
        embed("{\"inputs\": [[0, 5, 2], \"a b\", [4294967295]]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(3));
        assertThat(((EmbedInput.TokenIds) model.lastInputs.get(2)).ids()).containsExactly(4294967295L);
        assertThat(model.lastInputs.get(1)).isEqualTo(new EmbedInput.Text("a b"));
    }

    @Test
    void returns422WithTeiJsonWhenInputIsTooLongAndTruncationIsOff() throws Exception {
        embed("{\"inputs\": \"1 2 3 4 5 6 7 8 9\", \"truncate\": false}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.error_type").value("Validation"))
                .andExpect(jsonPath("$.error").value("`inputs` must have less than 8 tokens. Given: 9"));
    }

    @Test
    void truncatesAnOverLongInputByDefault() throws Exception {
        embed("{\"inputs\": \"1 2 3 4 5 6 7 8 9\", \"normalize\": false}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0][0]").value(8.0));
    }

    @Test
    void saysItComputedOnCpuAndHowMuch() throws Exception {
        embed("{\"inputs\": [\"a b c\", [1, 2]]}")
                .andExpect(status().isOk())
                .andExpect(header().string("x-compute-type", "cpu"))
                .andExpect(header().string("x-compute-characters", "7"))
                .andExpect(header().string("x-compute-tokens", "5"))
                .andExpect(header().exists("x-total-time"));
    }
}
