package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.model.hub.FetchCommand;
import io.embedserve.testsupport.FakeHub;
import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.ModelResources;
import io.embedserve.testsupport.ReferenceEncoder;
import io.embedserve.testsupport.TinyEncoderModel;
import io.embedserve.testsupport.Vectors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * From the Hub to vectors: the fetch mode downloads a tiny model from a local fake Hub into an
 * empty hub cache, and the real application then starts on that cache with only HF_HUB_CACHE and
 * MODEL_ID set (MODEL_REVISION left at its default, main) and embeds as the reference does.
 */
class FetchedModelStartupTest extends HubCacheStartupTest {

    static final String MODEL_ID = "sentence-transformers/tiny-fetched-bert";
    static final String COMMIT = "fedcba9876543210fedcba9876543210fedcba98";
    static final TinyEncoderModel TINY = TinyEncoderModel.bert(41);
    static Path hubCache;

    @DynamicPropertySource
    static void hubCache(DynamicPropertyRegistry registry) {
        registry.add("HF_HUB_CACHE", () -> cache().toString());
        registry.add("MODEL_ID", () -> MODEL_ID);
    }

    static synchronized Path cache() {
        if (hubCache == null) {
            Path root = ModelResources.createTempDirectoryDeletedOnExit("embedserve-fetched-");
            hubCache = root.resolve("hub");
            try (FakeHub hub = new FakeHub()) {
                hub.repo(MODEL_ID, COMMIT).files(TINY.writeTo(root.resolve("files")))
                        .file("README.md", "# not read by the service\n");
                ByteArrayOutputStream output = new ByteArrayOutputStream();
                PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8);
                int status = FetchCommand.run(new String[] {MODEL_ID, "--no-progress"},
                        Map.of("HF_ENDPOINT", hub.endpoint(), "HF_HUB_CACHE", hubCache.toString(),
                                "HF_HOME", root.resolve("hf-home").toString()), print, print);
                assertThat(status).as(output.toString(StandardCharsets.UTF_8)).isZero();
            }
        }
        return hubCache;
    }

    @Test
    void servesTheCommitThatMainNamedWhenItWasFetched() {
        JsonNode info = http.get("/info").json();

        assertThat(info.get("model_id").asString()).isEqualTo(MODEL_ID);
        assertThat(info.get("model_sha").asString()).isEqualTo(COMMIT);
    }

    @Test
    void embedsAsTheReferenceDoes() {
        String text = "the cat sat on the mat";
        JsonNode tokens = http.post("/tokenize", "{\"inputs\": \"" + text + "\"}").json().get(0);
        long[] ids = StreamSupport.stream(tokens.spliterator(), false).mapToLong(t -> t.get("id").asLong()).toArray();

        HttpJson.Response response = http.post("/embed", "{\"inputs\": \"" + text + "\", \"normalize\": false}");

        assertThat(response.status()).isEqualTo(200);
        double[] expected = ReferenceEncoder.meanPool(new ReferenceEncoder(TINY).lastHiddenState(ids));
        Vectors.assertSameVector("fetched model", response.vector(0), expected);
    }
}
