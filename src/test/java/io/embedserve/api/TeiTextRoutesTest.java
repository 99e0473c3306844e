package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.embedserve.inference.EmbedInput;
import io.embedserve.inference.TruncationDirection;
import org.junit.jupiter.api.Test;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.ResultActions;

/** /tokenize, /decode and /similarity. */
@WebMvcTest
@Import(ApiTestConfig.class)
class TeiTextRoutesTest extends ApiSliceTest {

    ResultActions call(String path, String json) throws Exception {
        return postJson(path, json);
    }

    @Test
    void tokenizesOneStringWithSpecialTokensAndOffsets() throws Exception {
        call("/tokenize", "{\"inputs\": \"hi there\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(1))
                .andExpect(jsonPath("$[0].length()").value(4))
                .andExpect(jsonPath("$[0][0].special").value(true))
                .andExpect(jsonPath("$[0][0].start").value(nullValue()))
                .andExpect(jsonPath("$[0][2].id").value(102))
                .andExpect(jsonPath("$[0][2].text").value("there"))
                .andExpect(jsonPath("$[0][2].special").value(false))
                .andExpect(jsonPath("$[0][2].start").value(3))
                .andExpect(jsonPath("$[0][2].stop").value(8));
    }

    @Test
    void tokenizesAListWithoutSpecialTokensWhenAsked() throws Exception {
        call("/tokenize", "{\"inputs\": [\"a\", \"b c\"], \"add_special_tokens\": false}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].length()").value(1))
                .andExpect(jsonPath("$[1].length()").value(2))
                .andExpect(jsonPath("$[1][0].special").value(false));
    }

    @Test
    void returns422WhenTokenizeInputsAreTokenIds() throws Exception {
        call("/tokenize", "{\"inputs\": [1, 2]}").andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.error_type").value("Validation"));
    }

    @Test
    void decodesOneIdListSkippingSpecialTokensByDefault() throws Exception {
        call("/decode", "{\"ids\": [0, 101, 102, 2]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(1))
                .andExpect(jsonPath("$[0]").value("t101 t102"));
    }

    @Test
    void decodesAListOfIdListsKeepingSpecialTokensWhenAsked() throws Exception {
        call("/decode", "{\"ids\": [[0, 101], [7]], \"skip_special_tokens\": false}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0]").value("t0 t101"))
                .andExpect(jsonPath("$[1]").value("t7"));
    }

    @Test
    void returns400WhenDecodeIdsAreEmpty() throws Exception {
        call("/decode", "{\"ids\": []}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value("`ids` cannot be empty"));
    }

    @Test
    void returns422WhenDecodeIdsAreStrings() throws Exception {
        call("/decode", "{\"ids\": [\"a\"]}").andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.error_type").value("Validation"))
                .andExpect(jsonPath("$.error", org.hamcrest.Matchers.containsString("`ids")));
    }

    /** Raw vectors [1,4,0,0], [3,4,0,0], [1,4,0,0]: cosines 19/(5·√17) = 0.921635 and 1. */
    @Test
    void scoresEachSentenceByCosineWithTheSource() throws Exception {
        call("/similarity", "{\"inputs\": {\"source_sentence\": \"a\", \"sentences\": [\"a b c\", \"b\"]}}")
                .andExpect(status().isOk())
                .andExpect(header().string("x-compute-type", "cpu"))
                .andExpect(jsonPath("$.length()").value(2))
                .andExpect(jsonPath("$[0]").value(closeTo(0.921635, 1e-6)))
                .andExpect(jsonPath("$[1]").value(closeTo(1.0, 1e-6)));
        assertThat(model.lastInputs).containsExactly(
                new EmbedInput.Text("a"), new EmbedInput.Text("a b c"), new EmbedInput.Text("b"));
        assertThat(model.lastOptions.normalize()).isFalse();
    }

    @Test
    void passesSimilarityParametersThrough() throws Exception {
        call("/similarity", """
                {"inputs": {"source_sentence": "a", "sentences": ["b"]},
                 "parameters": {"truncate": false, "truncation_direction": "Left", "prompt_name": "query"}}
                """).andExpect(status().isOk());
        assertThat(model.lastOptions.truncate()).isFalse();
        assertThat(model.lastOptions.direction()).isEqualTo(TruncationDirection.LEFT);
        assertThat(model.lastOptions.promptName()).isEqualTo("query");
    }

    @Test
    void returns400WhenThereAreNoSentences() throws Exception {
        call("/similarity", "{\"inputs\": {\"source_sentence\": \"a\", \"sentences\": []}}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value("`inputs.sentences` cannot be empty"));
    }

    @Test
    void returns422WhenSimilarityInputsIsAString() throws Exception {
        call("/similarity", "{\"inputs\": \"a\"}").andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.error_type").value("Validation"))
                .andExpect(jsonPath("$.error", org.hamcrest.Matchers.containsString("`inputs` must be a JSON object, got a string")));
    }

    @Test
    void countsTheSourceSentenceAgainstTheClientBatchLimit() throws Exception {
        String sentences = "\"a\",".repeat(31) + "\"a\"";
        call("/similarity", "{\"inputs\": {\"source_sentence\": \"a\", \"sentences\": [" + sentences + "]}}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.error", org.hamcrest.Matchers.startsWith("batch size 33 >")));
    }
}
