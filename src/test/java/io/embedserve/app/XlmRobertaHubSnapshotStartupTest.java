package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.HubCache;
import io.embedserve.testsupport.ModelResources;
import io.embedserve.testsupport.ReferenceEncoder;
import io.embedserve.testsupport.SafetensorsWriter;
import io.embedserve.testsupport.TinyEncoderModel;
import io.embedserve.testsupport.TinyTokenizer;
import io.embedserve.testsupport.Vectors;
import java.nio.file.Path;
import java.util.stream.StreamSupport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * XLM-R family: a Hub-shaped XLM-R snapshot (roberta.-prefixed weights, I64 position_ids, pooler,
 * tokenizer.json whose own truncation stops at 8 tokens) in a hub cache, served by the real
 * application start-up with HF_HUB_CACHE and MODEL_ID, against the double-precision reference.
 */
class XlmRobertaHubSnapshotStartupTest extends HubCacheStartupTest {

    static final String MODEL_ID = "sentence-transformers/tiny-xlm-roberta";
    static final TinyEncoderModel TINY = TinyEncoderModel.xlmRoberta(31);
    static Path hubCache;

    @DynamicPropertySource
    static void hubCache(DynamicPropertyRegistry registry) {
        registry.add("HF_HUB_CACHE", () -> cache().toString());
        registry.add("MODEL_ID", () -> MODEL_ID);
    }

    static synchronized Path cache() {
        if (hubCache == null) {
            Path root = ModelResources.createTempDirectoryDeletedOnExit("embedserve-hub-xlmr-");
            Path files = TINY.writeTo(root.resolve("files"), "mean", false, 32, "roberta.", SafetensorsWriter.Dtype.F32);
            hubCache = root.resolve("hub");
            HubCache.write(hubCache, MODEL_ID, HubCache.commitFor(MODEL_ID), files);
        }
        return hubCache;
    }

    @Test
    void embedsAsTheReferenceDoesPastTheTokenizerFilesOwnTruncation() {
        String text = "the cat sat on the mat, hello world. a good day is good";
        JsonNode tokens = http.post("/tokenize", "{\"inputs\": \"" + text + "\"}").json().get(0);
        long[] ids = StreamSupport.stream(tokens.spliterator(), false).mapToLong(t -> t.get("id").asLong()).toArray();
        assertThat(ids.length).isGreaterThan(TinyTokenizer.BAKED_IN_LENGTH);
        assertThat(ids[0]).isZero(); // <s>
        assertThat(ids[ids.length - 1]).isEqualTo(2); // </s>

        HttpJson.Response response = http.post("/embed", "{\"inputs\": \"" + text + "\", \"normalize\": false}");
        assertThat(response.status()).isEqualTo(200);
        double[] expected = ReferenceEncoder.meanPool(new ReferenceEncoder(TINY).lastHiddenState(ids));
        Vectors.assertSameVector("hub snapshot", response.vector(0), expected);
    }

    @Test
    void reportsTheModelFromTheCache() {
        JsonNode info = http.get("/info").json();
        assertThat(info.get("model_id").asString()).isEqualTo(MODEL_ID);
        assertThat(info.get("model_sha").asString()).isEqualTo(HubCache.commitFor(MODEL_ID));
    }

    @Test
    void infoShowsEachDenseShapeProvenAtLoadWithItsPath() {
        JsonNode layers = http.get("/info").json().get("dense_layers");
        assertThat(layers).hasSize(4);
        List<String> shapes = new ArrayList<>();
        for (JsonNode layer : layers) {
            shapes.add(layer.get("in_features").asInt() + "->" + layer.get("out_features").asInt());
            assertThat(layer.get("layers").asInt()).isEqualTo(TinyEncoderModel.LAYERS);
            assertThat(layer.get("max_relative_error").asDouble()).isBetween(0.0, 1e-5);
            assertThat(layer.get("path").asString()).isIn("onednn float32", "torch.linear float32");
            assertThat(layer.get("fast_path_failure").isNull())
                    .isEqualTo(layer.get("path").asString().equals("onednn float32"));
        }
        assertThat(shapes).containsExactly("32->96", "32->32", "32->64", "64->32");
    }
}
