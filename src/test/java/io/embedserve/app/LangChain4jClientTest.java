package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * LangChain4j's OpenAiEmbeddingModel (dev.langchain4j:langchain4j-open-ai, version pinned in the
 * pom) against the running service with an API key: floats (it sends no encoding_format unless
 * told), base64, {@code dimensions}, input order, and its AuthenticationException for a wrong key.
 */
class LangChain4jClientTest extends JvmClientTest {

    static OpenAiEmbeddingModel.OpenAiEmbeddingModelBuilder model(String baseUrl, String key) {
        return OpenAiEmbeddingModel.builder().baseUrl(baseUrl).apiKey(key).modelName("all-MiniLM-L6-v2");
    }

    static List<float[]> embedAll(OpenAiEmbeddingModel model) {
        Response<List<Embedding>> response = model.embedAll(TEXTS.stream().map(TextSegment::from).toList());
        return response.content().stream().map(Embedding::vector).toList();
    }

    @Test
    void byDefaultItSendsNoEncodingFormatAndGetsTheModelsFloatsInInputOrder() {
        List<float[]> vectors = embedAll(model(recordedBaseUrl(), KEY).build());

        assertThat(proxy.last().path()).isEqualTo("/v1/embeddings");
        assertThat(proxy.last().requestHeaders().firstValue("Authorization")).hasValue("Bearer " + KEY);
        JsonNode body = proxy.last().requestJson();
        assertThat(body.has("encoding_format")).as(body.toString()).isFalse();
        assertThat(body.get("input").size()).isEqualTo(TEXTS.size());
        assertModelVectors("default", vectors, TEXTS);
    }

    @Test
    void base64WhenToldGetsTheSameVectors() {
        List<float[]> vectors = embedAll(model(recordedBaseUrl(), KEY).encodingFormat("base64").build());
        assertThat(proxy.last().requestJson().get("encoding_format").asString()).isEqualTo("base64");
        assertModelVectors("base64", vectors, TEXTS);
    }

    @Test
    void dimensionsGivesTheFirstComponentsNormalisedAgain() {
        assertModelVectors("float, 128", embedAll(model(baseUrl(), KEY).dimensions(128).build()), TEXTS, 128);
        assertModelVectors("base64, 32", embedAll(model(baseUrl(), KEY).dimensions(32).encodingFormat("base64").build()),
                TEXTS, 32);
    }

    @Test
    void oneTextIsOneEmbedding() {
        Embedding embedding = model(baseUrl(), KEY).build().embed("Привет, как дела?").content();
        assertModelVectors("one", List.of(embedding.vector()), List.of("Привет, как дела?"));
    }

    @Test
    void aWrongKeyIsLangChain4jsAuthenticationException() {
        OpenAiEmbeddingModel model = model(recordedBaseUrl(), KEY + "-wrong").build();
        assertThatThrownBy(() -> model.embed("Hello world"))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("invalid_api_key");
        assertThat(proxy.exchanges()).as("a 401 is not retried").hasSize(1);
        assertThat(proxy.last().status()).isEqualTo(401);
        assertThat(proxy.last().responseHeaders().firstValue("x-request-id")).isPresent();
    }
}
