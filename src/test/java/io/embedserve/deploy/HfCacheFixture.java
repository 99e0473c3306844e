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
    /** A stand-in cross-encoder: no sentence-transformers files, as the Hub ships one. */
    static final String RERANKER_ID = "cross-encoder/tiny-test-reranker";
    static final String RERANKER_FOLDER = HubCache.folderOf(RERANKER_ID);
    static final String RERANKER_COMMIT = "89abcdef0123456789abcdef0123456789abcdef";

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

    /** Writes the stand-in reranker under {@code hubCache} and returns its repository folder. */
    static Path writeReranker(Path hubCache) {
        byte[] weights = new byte[1024 * 1024];
        new Random(43).nextBytes(weights);
        Map<String, byte[]> files = new LinkedHashMap<>(HubCache.utf8(Map.of(
                "config.json", "{\"architectures\": [\"BertForSequenceClassification\"], \"model_type\": \"bert\"}",
                "tokenizer.json", "{\"version\": \"1.0\", \"model\": {}}",
                "tokenizer_config.json", "{\"model_max_length\": 512}")));
        files.put("model.safetensors", weights);
        return HubCache.write(hubCache, RERANKER_ID, RERANKER_COMMIT, files);
    }
}
