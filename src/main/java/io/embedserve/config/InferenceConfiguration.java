package io.embedserve.config;

import io.embedserve.inference.Admission;
import io.embedserve.inference.CrossEncoderHolder;
import io.embedserve.inference.CrossEncoderService;
import io.embedserve.inference.EmbeddingService;
import io.embedserve.inference.ModelCrossEncoderService;
import io.embedserve.inference.ModelEmbeddingService;
import io.embedserve.inference.ModelHolder;
import io.embedserve.inference.PooledEncoder;
import io.embedserve.inference.RequestDefaults;
import io.embedserve.inference.TokenizerSlots;
import io.embedserve.inference.TorchRuntime;
import io.embedserve.inference.batch.BatchLimits;
import io.embedserve.inference.batch.BatchModel;
import io.embedserve.inference.batch.BatchQueue;
import io.embedserve.inference.batch.ThreadShare;
import io.embedserve.metrics.EmbedServeMetrics;
import io.embedserve.metrics.MeteredCrossEncoderService;
import io.embedserve.metrics.MeteredEmbeddingService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the data's path: admission → tokenizer slots → optional stages (the embedding cache) →
 * batch queue (its workers share the model, loaded in the background) → embedding service → metrics.
 * A cross-encoder (/rerank, /predict) takes the same path through the same admission and tokenizer
 * slots, with a batch queue and workers of its own.
 */
@Configuration(proxyBeanMethods = false)
class InferenceConfiguration {

    @Bean(destroyMethod = "close")
    ModelHolder modelHolder() {
        return new ModelHolder();
    }

    @Bean(destroyMethod = "close")
    CrossEncoderHolder crossEncoderHolder() {
        return new CrossEncoderHolder();
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

    /** The owner of the concurrency limit: every route takes its permits here before any work. */
    @Bean
    Admission admission(ServingProperties serving) {
        return new Admission(serving.maxConcurrentRequests(), serving.requestTimeout());
    }

    /**
     * When a worker dies or gets stuck, liveness turns DOWN (the queue reports it too) and the process exits 1
     * so that the orchestrator starts a fresh one: no request could be answered any more.
     */
    @Bean(destroyMethod = "close")
    BatchQueue batchQueue(ModelHolder holder, ServingProperties serving, InferenceProperties inference,
            ThreadShare threads, EmbedServeMetrics metrics, ConfigurableApplicationContext context, ProcessExit exit) {
        BatchLimits limits = new BatchLimits(serving.maxBatchTokens(), serving.maxBatchRequests());
        return new BatchQueue(BatchModel.ofIds(sequences -> holder.loaded().encodeBatch(sequences)), limits,
                inference.layout().workers(), threads, metrics, serving.requestTimeout(), new WorkerDeath(context, exit),
                inference.hangAfter());
    }

    /**
     * The CPUs every inference worker shares, the cross-encoder's included: a queue's lead worker
     * alone uses all the workers' threads, busy workers each their own.
     */
    @Bean
    ThreadShare threadShare(InferenceProperties inference) {
        WorkerLayout layout = inference.layout();
        return new ThreadShare(layout.workers() * layout.threadsPerWorker(), layout.threadsPerWorker(),
                TorchRuntime::useThreadsOnThisThread);
    }

    /**
     * The cross-encoder's own queue and workers (as many as the sentence model's), so that a burst of
     * reranking never waits behind embeddings or the other way round. Injected only where asked for by
     * name, beside the sentence model's queue.
     */
    @Bean(destroyMethod = "close", defaultCandidate = false)
    BatchQueue crossEncoderQueue(CrossEncoderHolder holder, ServingProperties serving, InferenceProperties inference,
            ThreadShare threads, EmbedServeMetrics metrics, ConfigurableApplicationContext context, ProcessExit exit) {
        BatchLimits limits = new BatchLimits(serving.maxBatchTokens(), serving.maxBatchRequests());
        return new BatchQueue((ids, typeIds) -> holder.loaded().scoreBatch(ids, typeIds), limits,
                inference.layout().workers(), threads, metrics.crossEncoderQueue(), serving.requestTimeout(),
                new WorkerDeath(context, exit), inference.hangAfter());
    }

    /** Takes the holders so that Spring drains the slots before it closes the models, and their tokenizers. */
    @Bean(destroyMethod = "close")
    TokenizerSlots tokenizerSlots(ServingProperties serving, ModelHolder holder,
            CrossEncoderHolder crossEncoderHolder) {
        return new TokenizerSlots(serving.tokenizationWorkers(), serving.requestTimeout(), TokenizerSlots.DRAIN_TIMEOUT,
                () -> {
                    holder.detach();
                    crossEncoderHolder.detach();
                });
    }

    @Bean
    EmbeddingService embeddingService(ModelHolder holder, BatchQueue queue, Admission admission,
            TokenizerSlots tokenizers, ObjectProvider<PooledEncoderDecorator> decorators, EmbedServeMetrics metrics,
            ServingProperties serving, ModelProperties model, ObjectProvider<Tracer> tracer) {
        PooledEncoder encoder = queue;
        for (PooledEncoderDecorator decorator : decorators.orderedStream().toList()) {
            encoder = decorator.wrap(encoder);
        }
        return new MeteredEmbeddingService(
                new ModelEmbeddingService(holder, encoder, admission, tokenizers, new RequestDefaults(serving.maxInputChars(),
                        serving.defaultPromptName(), serving.defaultPrompt(), model.servedModelName())), metrics,
                tracer.getIfAvailable(() -> Tracer.NOOP));
    }

    @Bean
    CrossEncoderService crossEncoderService(CrossEncoderHolder holder,
            @Qualifier("crossEncoderQueue") BatchQueue queue, Admission admission, TokenizerSlots tokenizers,
            EmbedServeMetrics metrics, ServingProperties serving) {
        return new MeteredCrossEncoderService(
                new ModelCrossEncoderService(holder, queue, admission, tokenizers, serving.maxInputChars()), metrics);
    }

    @Bean
    ModelLoader modelLoader(ModelProperties model, RerankModelProperties rerank, InferenceProperties inference,
            ServingProperties serving, ModelHolder holder, BatchQueue queue, CrossEncoderHolder crossEncoderHolder,
            @Qualifier("crossEncoderQueue") BatchQueue crossEncoderQueue, EmbedServeMetrics metrics,
            ConfigurableApplicationContext context) {
        return new ModelLoader(model, rerank, inference, serving, holder, queue, crossEncoderHolder, crossEncoderQueue,
                metrics, context);
    }
}
