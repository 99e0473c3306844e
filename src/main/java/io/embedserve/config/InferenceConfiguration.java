package io.embedserve.config;

import io.embedserve.inference.EmbeddingService;
import io.embedserve.inference.ModelEmbeddingService;
import io.embedserve.inference.ModelHolder;
import io.embedserve.inference.PooledEncoder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires model → encoder stages (→ optional decorators such as the cache) → embedding service. */
@Configuration(proxyBeanMethods = false)
class InferenceConfiguration {

    @Bean(destroyMethod = "close")
    ModelHolder modelHolder() {
        return new ModelHolder();
    }

    @Bean
    PooledEncoder pooledEncoder(ModelHolder holder) {
        return inputs -> holder.require().encode(inputs);
    }

    /** Optional stages (the embedding cache) wrap the encoder, innermost first. */
    @Bean
    EmbeddingService embeddingService(ModelHolder holder, PooledEncoder pooledEncoder,
            ObjectProvider<PooledEncoderDecorator> decorators) {
        PooledEncoder encoder = pooledEncoder;
        for (PooledEncoderDecorator decorator : decorators.orderedStream().toList()) {
            encoder = decorator.wrap(encoder);
        }
        return new ModelEmbeddingService(holder, encoder);
    }

    @Bean
    ModelLoader modelLoader(ModelProperties model, InferenceProperties inference, ModelHolder holder,
            ConfigurableApplicationContext context) {
        return new ModelLoader(model, inference, holder, context);
    }
}
