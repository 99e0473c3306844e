package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.TruncationDirection;
import io.embedserve.inference.tokenize.TextTokenizer;
import io.embedserve.inference.tokenize.Truncation;
import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.HubCache;
import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.ModelResources;
import io.embedserve.testsupport.OnnxReference;
import io.embedserve.testsupport.RealModel;
import io.embedserve.testsupport.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * BERT family: the Hub snapshot of all-MiniLM-L6-v2 (I64 position_ids, pooler, tokenizer.json that
 * truncates at 128 while max_seq_length is 256, files symlinked into sha256 blobs) in a hub cache,
 * served by the real application start-up with HF_HUB_CACHE and MODEL_ID.
 */
class BertHubSnapshotStartupTest extends HubCacheStartupTest {

    static final String MODEL_ID = RealModel.ALL_MINILM_L6_V2.hubId();
    static final String COMMIT = HubCache.commitFor(MODEL_ID);
    static Path hubCache;
    static OnnxReference onnx;
    static TextTokenizer tokenizer;

    @DynamicPropertySource
    static void hubCache(DynamicPropertyRegistry registry) {
        registry.add("HF_HUB_CACHE", () -> cache().toString());
        registry.add("MODEL_ID", () -> MODEL_ID);
    }

    static synchronized Path cache() {
        if (hubCache == null) {
            hubCache = ModelResources.createTempDirectoryDeletedOnExit("embedserve-hub-bert-");
            HubCache.write(hubCache, MODEL_ID, COMMIT, MiniLmFixture.modelDirectory());
        }
        return hubCache;
    }

    @BeforeAll
    static void reference() {
        onnx = OnnxReference.miniLm();
        tokenizer = TextTokenizer.load(MiniLmFixture.modelDirectory().resolve("tokenizer.json"), false);
    }

    @AfterAll
    static void close() {
        onnx.close();
        tokenizer.close();
    }

    @Test
    void servesTheSnapshotRefsMainPointsAt() throws Exception {
        Path snapshot = cache().resolve(HubCache.folderOf(MODEL_ID)).resolve("snapshots").resolve(COMMIT);
        assertThat(Files.isSymbolicLink(snapshot.resolve("model.safetensors"))).isTrue();
        JsonNode info = http.get("/info").json();
        assertThat(info.get("model_id").asString()).isEqualTo(MODEL_ID);
        assertThat(info.get("model_sha").asString()).isEqualTo(COMMIT);
        assertThat(info.get("max_input_length").asInt()).isEqualTo(256);
    }

    @Test
    void embedsAsOnnxRuntimeDoesPastTheTokenizerFilesOwn128TokenTruncation() {
        String text = "Long documents exceed the model's maximum sequence length and must be truncated. ".repeat(15);
        long[] ids = Truncation.truncate(tokenizer.encode(text), 256, TruncationDirection.RIGHT);
        assertThat(ids.length).isGreaterThan(128).isLessThanOrEqualTo(256);

        HttpJson.Response response = http.post("/", "{\"inputs\": \"" + text + "\"}");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-compute-tokens")).hasValue(String.valueOf(ids.length));
        Vectors.assertSameVector("hub snapshot", response.vector(0), Vectors.toDouble(onnx.embed(ids)));
    }
}
