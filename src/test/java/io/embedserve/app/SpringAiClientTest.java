package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.errors.UnauthorizedException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.ai.openai.OpenAiEmbeddingOptions;
import tools.jackson.databind.JsonNode;

/**
 * Spring AI's OpenAiEmbeddingModel (org.springframework.ai:spring-ai-openai, from the Spring AI BOM
 * pinned in the pom; built on the official OpenAI Java SDK) against the running service with an API
 * key: base64 (what the SDK beneath asks for by default) and float, {@code dimensions}, input
 * order, and the SDK's UnauthorizedException for a wrong key, which Spring AI passes on.
 */
class SpringAiClientTest extends JvmClientTest {

    static OpenAiEmbeddingOptions.Builder options(String baseUrl, String key) {
        return OpenAiEmbeddingOptions.builder().baseUrl(baseUrl).apiKey(key).model("all-MiniLM-L6-v2");
    }

    static OpenAiEmbeddingModel model(OpenAiEmbeddingOptions.Builder options) {
        return OpenAiEmbeddingModel.builder().options(options.build()).build();
    }

    @Test
    void byDefaultItAsksForBase64AndGetsTheModelsVectorsInInputOrder() {
        EmbeddingResponse response = model(options(recordedBaseUrl(), KEY)).embedForResponse(TEXTS);

        assertThat(proxy.last().path()).isEqualTo("/v1/embeddings");
        assertThat(proxy.last().requestHeaders().firstValue("Authorization")).hasValue("Bearer " + KEY);
        JsonNode body = proxy.last().requestJson();
        assertThat(body.get("encoding_format").asString()).isEqualTo("base64");
        assertThat(body.get("model").asString()).isEqualTo("all-MiniLM-L6-v2");
        assertThat(response.getResults()).extracting(Embedding::getIndex).containsExactly(0, 1, 2, 3, 4);
        assertModelVectors("default", response.getResults().stream().map(Embedding::getOutput).toList(), TEXTS);
        assertThat(response.getMetadata().getUsage().getPromptTokens())
                .isEqualTo(TEXTS.stream().mapToInt(t -> ids(t).length).sum());
    }

    @Test
    void floatWhenToldGetsTheSameVectors() {
        OpenAiEmbeddingModel model = model(options(recordedBaseUrl(), KEY)
                .encodingFormat(OpenAiEmbeddingOptions.EncodingFormat.FLOAT));
        List<float[]> vectors = model.embed(TEXTS);
        assertThat(proxy.last().requestJson().get("encoding_format").asString()).isEqualTo("float");
        assertModelVectors("float", vectors, TEXTS);
    }

    @Test
    void dimensionsGivesTheFirstComponentsNormalisedAgain() {
        assertModelVectors("base64, 128", model(options(baseUrl(), KEY).dimensions(128)).embed(TEXTS), TEXTS, 128);
        assertModelVectors("float, 256", model(options(baseUrl(), KEY).dimensions(256)
                .encodingFormat(OpenAiEmbeddingOptions.EncodingFormat.FLOAT)).embed(TEXTS), TEXTS, 256);
    }

    @Test
    void oneTextIsOneEmbedding() {
        float[] vector = model(options(baseUrl(), KEY)).embed("Привет, как дела?");
        assertModelVectors("one", List.of(vector), List.of("Привет, как дела?"));
    }

    @Test
    void aWrongKeyIsTheSdksUnauthorizedException() {
        OpenAiEmbeddingModel model = model(options(recordedBaseUrl(), KEY + "-wrong"));
        assertThatThrownBy(() -> model.embed("Hello world"))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.code()).hasValue("invalid_api_key");
                });
        assertThat(proxy.exchanges()).as("a 401 is not retried").hasSize(1);
        assertThat(proxy.last().responseHeaders().firstValue("x-request-id")).isPresent();
    }
}
