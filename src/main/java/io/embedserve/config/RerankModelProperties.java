package io.embedserve.config;

import io.embedserve.model.ModelLocation;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * A cross-encoder to serve beside the sentence model (/rerank, /predict), read from the same Hugging
 * Face cache. application.yml binds each field to its environment variable: RERANK_MODEL_PATH,
 * RERANK_MODEL_ID, RERANK_MODEL_REVISION. With neither a path nor an id the process serves no
 * reranker, unless MODEL_ID itself names a cross-encoder.
 *
 * @param path a plain model directory; wins over the cache
 * @param id the repository id inside the cache (HF_HUB_CACHE / HF_HOME, shared with MODEL_ID)
 * @param revision a ref name or a 40-hex commit; main when unset
 */
@ConfigurationProperties("model.rerank")
public record RerankModelProperties(String path, String id, String revision) {

    public boolean configured() {
        return !blank(path) || !blank(id);
    }

    /** Where to find it: its own path, id and revision, the sentence model's cache. */
    ModelLocation location(ModelProperties model) {
        return new ModelLocation(path, id, revision, model.hubCache(), model.hfHome(), null);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
