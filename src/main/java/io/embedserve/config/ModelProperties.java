package io.embedserve.config;

import io.embedserve.model.ModelLocation;
import io.embedserve.model.PoolingMode;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which model to load, from a plain directory or from the Hugging Face hub cache, found as
 * huggingface_hub finds it.
 *
 * @param path a plain directory with config.json, tokenizer.json, model.safetensors (or shards and
 *     their index) and the sentence-transformers files; wins over the cache
 * @param id the repository id inside the hub cache
 * @param revision a ref name (the cache's refs/NAME) or a 40-hex commit
 * @param hubCache the Hugging Face hub cache; unset: HF_HOME/hub
 * @param hfHome the Hugging Face home; unset: ~/.cache/huggingface
 * @param pooling mean, cls, max or lasttoken: only for a model without a sentence-transformers
 *     Pooling module (pooling is never guessed)
 * @param servedModelName the model's name in GET /info and in OpenAI answers; unset: the repository id
 */
@ConfigurationProperties("embedserve.model")
public record ModelProperties(
        @EnvironmentVariable("MODEL_PATH") String path,
        @EnvironmentVariable("MODEL_ID") @DefaultValue("sentence-transformers/paraphrase-multilingual-mpnet-base-v2") String id,
        @EnvironmentVariable({"MODEL_REVISION", "REVISION"}) @DefaultValue("main") String revision,
        @EnvironmentVariable({"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"}) String hubCache,
        @EnvironmentVariable("HF_HOME") String hfHome,
        @EnvironmentVariable("POOLING") String pooling,
        @EnvironmentVariable("SERVED_MODEL_NAME") String servedModelName) {

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
