package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.HttpJson;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every kind of bad request against the real service, each with its status and body; afterwards the
 * service still embeds correctly. (Same context as EmbedOverHttpTest, so Spring reuses it.)
 */
class BadInputCatalogueTest extends RunningServiceTest {

    void tei(String body, int status, String errorType, String messagePart) {
        assertTei(http.post("/embed", body), status, errorType, messagePart);
    }

    static void assertTei(HttpJson.Response response, int status, String errorType, String messagePart) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode json = response.json();
        assertThat(json.get("error_type").asString()).isEqualTo(errorType);
        assertThat(json.get("error").asString()).containsIgnoringCase(messagePart);
    }

    void openAi(String body, int status, String messagePart) {
        HttpJson.Response response = http.post("/v1/embeddings", body);
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode error = response.json().get("error");
        assertThat(error.get("message").asString()).containsIgnoringCase(messagePart);
        assertThat(error.has("type")).isTrue();
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
    }

    static String manyInputs(int count) {
        return "{\"inputs\": [" + String.join(",", Collections.nCopies(count, "\"x\"")) + "]}";
    }

    @Test
    void teiCatalogue() {
        tei(manyInputs(33), 422, "Validation", "32");
        tei("{\"inputs\": \"" + "word ".repeat(300) + "\", \"truncate\": false}", 422, "Validation", "256");
        tei("{\"inputs\": \"\"}", 400, "Empty", "empty");
        tei("{\"inputs\": []}", 400, "Empty", "empty");
        tei("{\"inputs\": 42}", 422, "Validation", "inputs");
        tei("{\"inputs\": {\"a\": 1}}", 422, "Validation", "inputs");
        tei("{\"inputs\": [\"a\", 1]}", 422, "Validation", "inputs");
        tei("{\"inputs\": \"a\", \"normalize\": \"yes\"}", 422, "Validation", "normalize");
        tei("{\"inputs\": \"a\", \"truncation_direction\": \"up\"}", 422, "Validation", "truncation_direction");
        tei("{\"inputs\": \"a\", \"dimensions\": 0}", 422, "Validation", "dimensions");
        tei("{\"inputs\": \"a\", \"dimensions\": 385}", 422, "Validation", "dimensions");
        tei("{\"inputs\": \"a\", \"prompt_name\": \"query\"}", 422, "Validation", "prompt_name");
        tei("{\"inputs\": [1, 99999999]}", 422, "Validation", "99999999");
        tei("{\"inputs\": ", 400, "Empty", "JSON");
        tei("{}", 422, "Validation", "inputs");
        assertTei(http.post("/embed", "{\"inputs\": \"" + "a".repeat(2_200_000) + "\"}"), 413, "Validation", "limit");
        byte[] invalidUtf8 = "{\"inputs\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        HttpJson.Response badBytes = http.postBytes("/embed", invalidUtf8);
        assertTei(badBytes, 400, "Empty", "UTF-8");
        assertTei(http.post("/similarity", "{\"inputs\": {\"source_sentence\": \"a\"}}"), 422, "Validation", "sentences");
        assertTei(http.post("/decode", "{\"ids\": \"nope\"}"), 422, "Validation", "ids");
        stillEmbedsCorrectly();
    }

    @Test
    void openAiCatalogue() {
        openAi("{\"input\": \"\"}", 400, "empty");
        openAi("{\"input\": 3.5}", 422, "input");
        openAi("{\"input\": \"a\", \"dimensions\": 0}", 422, "dimensions");
        openAi("{\"input\": \"a\", \"encoding_format\": \"hex\"}", 422, "encoding_format");
        openAi("{\"input\": ", 400, "JSON");
        openAi("{\"model\": \"m\"}", 422, "input");
        stillEmbedsCorrectly();
    }

    void stillEmbedsCorrectly() {
        HttpJson.Response response = http.post("/embed", "{\"inputs\": [\"still fine\", \"still fine\"]}");
        assertThat(response.status()).isEqualTo(200);
        float[] a = response.vector(0);
        float[] b = response.vector(1);
        assertThat(a).hasSize(384).containsExactly(b);
        double norm = 0;
        for (float v : a) {
            norm += v * v;
        }
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }
}
