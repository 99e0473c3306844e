package io.embedserve.config;

import io.embedserve.inference.EmbeddingService;
import io.embedserve.inference.ModelEmbeddingService;
import io.embedserve.inference.ModelHolder;
import io.embedserve.inference.PooledEncoder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires model → encoder stages → embedding service. */
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

    @Bean
    EmbeddingService embeddingService(ModelHolder holder, PooledEncoder pooledEncoder) {
        return new ModelEmbeddingService(holder, pooledEncoder);
    }

    @Bean
    ModelLoader modelLoader(ModelProperties model, InferenceProperties inference, ModelHolder holder,
            ConfigurableApplicationContext context) {
        return new ModelLoader(model, inference, holder, context);
    }
}
