package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.UnauthorizedException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.embedserve.testsupport.RecordingProxy;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The official OpenAI Java SDK (com.openai:openai-java, version pinned in the pom) against the
 * running service with an API key: base64 (what it asks for by default, decoded by the SDK) and
 * float, {@code dimensions}, input order, and its UnauthorizedException for a wrong key.
 */
class OpenAiJavaClientTest extends JvmClientTest {

    static OpenAIClient client(String baseUrl, String key) {
        return OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey(key).build();
    }

    static EmbeddingCreateParams.Builder params(List<String> texts) {
        return EmbeddingCreateParams.builder().model("all-MiniLM-L6-v2").inputOfArrayOfStrings(texts);
    }

    static List<float[]> vectors(CreateEmbeddingResponse response) {
        return response.data().stream().map(Embedding::embedding).map(JvmClientTest::floats).toList();
    }

    @Test
    void byDefaultItAsksForBase64AndDecodesTheModelsVectorsInInputOrder() {
        OpenAIClient client = client(recordedBaseUrl(), KEY);

        CreateEmbeddingResponse response = client.embeddings().create(params(TEXTS).build());

        RecordingProxy.Exchange sent = proxy.last();
        assertThat(sent.path()).isEqualTo("/v1/embeddings");
        assertThat(sent.requestHeaders().firstValue("Authorization")).hasValue("Bearer " + KEY);
        JsonNode body = sent.requestJson();
        assertThat(body.get("encoding_format").asString()).isEqualTo("base64");
        assertThat(body.get("input").size()).isEqualTo(TEXTS.size());
        assertThat(response.data()).extracting(Embedding::index).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertModelVectors("base64", vectors(response), TEXTS);
        assertThat(response.model()).isEqualTo("all-MiniLM-L6-v2");
        assertThat(response.usage().promptTokens()).isEqualTo(TEXTS.stream().mapToLong(t -> ids(t).length).sum());
    }

    @Test
    void asksForFloatsWhenToldAndGetsTheSameVectors() {
        CreateEmbeddingResponse response = client(baseUrl(), KEY).embeddings()
                .create(params(TEXTS).encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        assertModelVectors("float", vectors(response), TEXTS);
    }

    @Test
    void dimensionsGivesTheFirstComponentsNormalisedAgain() {
        OpenAIClient client = client(baseUrl(), KEY);
        assertModelVectors("base64, 128", vectors(client.embeddings().create(params(TEXTS).dimensions(128).build())),
                TEXTS, 128);
        assertModelVectors("float, 64", vectors(client.embeddings().create(params(TEXTS).dimensions(64)
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build())), TEXTS, 64);
    }

    @Test
    void oneStringIsOneEmbedding() {
        CreateEmbeddingResponse response = client(baseUrl(), KEY).embeddings()
                .create(EmbeddingCreateParams.builder().model("any").input("Привет, как дела?").build());
        assertModelVectors("one", vectors(response), List.of("Привет, как дела?"));
    }

    @Test
    void aWrongKeyIsTheSdksUnauthorizedException() {
        OpenAIClient client = client(recordedBaseUrl(), KEY + "-wrong");
        assertThatThrownBy(() -> client.embeddings().create(params(TEXTS).build()))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.code()).hasValue("invalid_api_key");
                    assertThat(e.type()).hasValue("invalid_request_error");
                });
        assertThat(proxy.exchanges()).as("a 401 is not retried").hasSize(1);
        assertThat(proxy.last().responseHeaders().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(proxy.last().responseHeaders().firstValue("x-request-id")).isPresent();
    }
}
