package io.embedserve.config;

import io.embedserve.model.ModelLocation;
import io.embedserve.model.PoolingMode;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which model to load (design.md §1). application.yml binds each field to its documented
 * environment variable: MODEL_PATH, MODEL_ID, MODEL_REVISION, HF_HUB_CACHE, HF_HOME, POOLING.
 *
 * @param path a plain model directory; wins over the cache
 * @param id the repository id inside the cache
 * @param revision a ref name or a 40-hex commit
 * @param hubCache the Hugging Face hub cache
 * @param hfHome the Hugging Face home (its hub/ is the cache)
 * @param pooling mean, cls, max or lasttoken; only for models without a Pooling module
 */
@ConfigurationProperties("model")
public record ModelProperties(
        String path, String id, String revision, String hubCache, String hfHome, String pooling) {

    public ModelProperties {
        if (pooling != null && !pooling.isBlank() && PoolingMode.fromName(pooling) == null) {
            throw new IllegalArgumentException(
                    "POOLING must be mean, cls, max or lasttoken; got '" + pooling + "'.");
        }
    }

    public ModelLocation location() {
        return new ModelLocation(path, id, revision, hubCache, hfHome, null);
    }

    public PoolingMode poolingOverride() {
        return pooling == null || pooling.isBlank() ? null : PoolingMode.fromName(pooling);
    }
}
