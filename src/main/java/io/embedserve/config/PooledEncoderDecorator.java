package io.embedserve.config;

import io.embedserve.inference.PooledEncoder;

/**
 * An optional stage in front of the batch queue, such as the embedding cache. Beans of this type
 * are applied in their @Order, innermost first.
 */
@FunctionalInterface
public interface PooledEncoderDecorator {

    PooledEncoder wrap(PooledEncoder inner);
}
