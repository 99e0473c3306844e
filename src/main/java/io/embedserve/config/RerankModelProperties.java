package io.embedserve.config;

import io.embedserve.model.ModelLocation;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A cross-encoder to serve beside the sentence model (/rerank, /predict), read from the same Hugging
 * Face cache. With neither a path nor an id the process serves no reranker, unless MODEL_ID itself
 * names a cross-encoder.
 *
 * @param path a plain directory holding the cross-encoder; wins over the cache
 * @param id the cross-encoder's repository id inside the hub cache (the cache MODEL_ID is read from)
 * @param revision a ref name or a 40-hex commit of that repository
 */
@ConfigurationProperties("embedserve.rerank-model")
public record RerankModelProperties(
        @EnvironmentVariable("RERANK_MODEL_PATH") String path,
        @EnvironmentVariable("RERANK_MODEL_ID") String id,
        @EnvironmentVariable("RERANK_MODEL_REVISION") @DefaultValue("main") String revision) {

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
