package io.embedserve.config;

import io.embedserve.inference.EmbeddingService;
import io.embedserve.inference.ModelEmbeddingService;
import io.embedserve.inference.ModelHolder;
import io.embedserve.inference.PooledEncoder;
import io.embedserve.inference.batch.BatchLimits;
import io.embedserve.inference.batch.BatchQueue;
import io.embedserve.metrics.EmbedServeMetrics;
import io.embedserve.metrics.MeteredEmbeddingService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the data's path: model (loaded in the background) → batch queue (one worker owns the
 * model) → optional stages around it (the embedding cache) → embedding service → metrics.
 */
@Configuration(proxyBeanMethods = false)
class InferenceConfiguration {

    @Bean(destroyMethod = "close")
    ModelHolder modelHolder() {
        return new ModelHolder();
    }

    @Bean
    EmbedServeMetrics embedServeMetrics(MeterRegistry registry, InferenceProperties inference) {
        return new EmbedServeMetrics(registry, inference.computeDtype().wireName());
    }

    /** How the process ends itself; a bean so that tests can watch it instead of losing their JVM. */
    @Bean
    ProcessExit processExit() {
        return ProcessExit.SYSTEM;
    }

    /**
     * When the worker dies or gets stuck, liveness turns DOWN (the queue reports it too) and the process exits 1
     * so that the orchestrator starts a fresh one: no request could be answered any more.
     */
    @Bean(destroyMethod = "close")
    BatchQueue batchQueue(ModelHolder holder, ServingProperties serving, EmbedServeMetrics metrics,
            ConfigurableApplicationContext context, ProcessExit exit) {
        BatchLimits limits = new BatchLimits(
                serving.maxBatchTokens(), serving.maxBatchRequests(), serving.maxConcurrentRequests());
        return new BatchQueue(sequences -> holder.require().encodeBatch(sequences), limits, metrics,
                serving.requestTimeout(), new WorkerDeath(context, exit), BatchQueue.DEFAULT_HANG_AFTER);
    }

    /** Takes the holder so that Spring drains the pool before it closes the model (TokenizerPool). */
    @Bean(destroyMethod = "close")
    TokenizerPool tokenizerPool(ServingProperties serving, ModelHolder holder) {
        return new TokenizerPool(serving.tokenizationWorkers(), holder, TokenizerPool.DRAIN_TIMEOUT);
    }

    @Bean
    EmbeddingService embeddingService(ModelHolder holder, BatchQueue queue, TokenizerPool tokenizerPool,
            ObjectProvider<PooledEncoderDecorator> decorators, EmbedServeMetrics metrics, ServingProperties serving,
            ObjectProvider<Tracer> tracer) {
        PooledEncoder encoder = queue;
        for (PooledEncoderDecorator decorator : decorators.orderedStream().toList()) {
            encoder = decorator.wrap(encoder);
        }
        return new MeteredEmbeddingService(
                new ModelEmbeddingService(holder, encoder, tokenizerPool, queue, serving.maxInputChars()), metrics,
                tracer.getIfAvailable(() -> Tracer.NOOP));
    }

    @Bean
    ModelLoader modelLoader(ModelProperties model, InferenceProperties inference, ServingProperties serving,
            ModelHolder holder, EmbedServeMetrics metrics, ConfigurableApplicationContext context) {
        return new ModelLoader(model, inference, serving, holder, metrics, context);
    }
}
