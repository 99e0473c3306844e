package io.embedserve.deploy;

import io.embedserve.testsupport.HubCache;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A small stand-in model (its files only need to exist and differ) laid out by {@link HubCache} the
 * way huggingface_hub leaves its cache, for the scripts that copy and check a cache.
 */
final class HfCacheFixture {

    static final String MODEL_ID = "sentence-transformers/tiny-test-model";
    static final String FOLDER = HubCache.folderOf(MODEL_ID);
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    private HfCacheFixture() {}

    /** Writes the model under {@code hubCache} and returns its repository folder. */
    static Path write(Path hubCache) {
        byte[] weights = new byte[3 * 1024 * 1024];
        new Random(42).nextBytes(weights);
        Map<String, byte[]> files = new LinkedHashMap<>(HubCache.utf8(Map.of(
                "config.json", "{\"model_type\": \"bert\", \"hidden_size\": 8}",
                "tokenizer.json", "{\"version\": \"1.0\"}",
                "modules.json", "[{\"idx\": 0, \"type\": \"sentence_transformers.models.Transformer\"}]",
                "sentence_bert_config.json", "{\"max_seq_length\": 128}",
                "1_Pooling/config.json", "{\"pooling_mode_mean_tokens\": true}")));
        files.put("model.safetensors", weights);
        return HubCache.write(hubCache, MODEL_ID, COMMIT, files);
    }
}
