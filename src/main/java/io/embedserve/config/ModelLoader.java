package io.embedserve.config;

import io.embedserve.error.ModelLoadException;
import io.embedserve.inference.ModelHolder;
import io.embedserve.inference.SentenceModel;
import io.embedserve.inference.TorchRuntime;
import io.embedserve.inference.batch.BatchLimits;
import io.embedserve.inference.batch.BatchQueue;
import io.embedserve.inference.batch.WarmUp;
import io.embedserve.inference.encode.DenseCheck;
import io.embedserve.model.ModelLocator;
import io.embedserve.metrics.EmbedServeMetrics;
import io.embedserve.model.EncoderConfig;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.model.SentenceTransformerConfig;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;

/**
 * Loads the model on a background thread once the application has started, so that liveness
 * answers during a long load, then warms it up through the batch queue ({@link WarmUp}) before
 * readiness turns UP. Before
 * the weights are read, the worst-case memory of the model with these settings is checked against
 * the memory the process may use ({@link MemoryBudget}). A load that fails logs the reason (which
 * names the path and the setting) and stops the process with exit code 1: a service without its
 * model must not look half alive, and one that the largest allowed batch would get OOM-killed must
 * not start taking requests.
 */
final class ModelLoader {

    private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);

    private final ModelProperties model;
    private final InferenceProperties inference;
    private final ServingProperties serving;
    private final ModelHolder holder;
    private final BatchQueue queue;
    private final EmbedServeMetrics metrics;
    private final ConfigurableApplicationContext context;

    ModelLoader(ModelProperties model, InferenceProperties inference, ServingProperties serving, ModelHolder holder,
            BatchQueue queue, EmbedServeMetrics metrics, ConfigurableApplicationContext context) {
        this.model = model;
        this.inference = inference;
        this.serving = serving;
        this.holder = holder;
        this.queue = queue;
        this.metrics = metrics;
        this.context = context;
    }

    @EventListener(ApplicationStartedEvent.class)
    void startLoading() {
        Thread thread = new Thread(this::load, "model-loader");
        thread.setDaemon(true);
        thread.start();
    }

    private void load() {
        long started = System.nanoTime();
        try {
            WorkerLayout layout = inference.layout();
            TorchRuntime.configureThreads(layout.threadsPerWorker());
            ModelSnapshot snapshot = ModelLocator.locate(model.location());
            log.info("Loading {} (revision {}) from {}", snapshot.modelId(), snapshot.revision(), snapshot.directory());
            EncoderConfig config = EncoderConfig.read(snapshot.file("config.json"));
            SentenceTransformerConfig pipeline =
                    SentenceTransformerConfig.read(snapshot.directory(), config, model.poolingOverride());
            checkMemory(config, pipeline.maxSeqLength(), layout.workers());
            SentenceModel loaded = SentenceModel.load(snapshot, config, pipeline, inference.computeDtype());
            requireDefaultPrompt(loaded);
            logDenseChecks(loaded);
            holder.setWarming(loaded);
            Duration warming = warmUp(loaded, layout);
            holder.markReady();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            metrics.modelLoaded(took);
            log.info("Model ready in {} ms (warm-up {} ms on {} workers x {} threads): {} {} layers, hidden {},"
                            + " pooling {}, {} Dense modules, dimension {}, max_seq_length {}, dtype {}",
                    took.toMillis(), warming.toMillis(), layout.workers(), layout.threadsPerWorker(),
                    loaded.encoderConfig().family().modelType(), loaded.encoderConfig().numHiddenLayers(),
                    loaded.encoderConfig().hiddenSize(), loaded.pipeline().pooling().wireName(),
                    loaded.pipeline().denseModules().size(), loaded.dimension(), loaded.pipeline().maxSeqLength(),
                    loaded.dtype().wireName());
        } catch (ModelLoadException e) {
            fail(e.getMessage(), null);
        } catch (RuntimeException | Error e) {
            fail("Model load failed unexpectedly: " + e, e);
        }
    }

    private void checkMemory(EncoderConfig config, int maxSeqLength, int workers) {
        MemoryEstimate estimate = MemoryBudget.estimate(config, maxSeqLength, serving, inference.computeDtype(),
                Runtime.getRuntime().maxMemory(), workers);
        long available = MemoryBudget.visibleMemory();
        MemoryBudget.require(estimate, available, config);
        log.info("Worst-case memory {} fits the {} this process may use", estimate.describe(),
                MemoryEstimate.mib(available));
    }

    /** DEFAULT_PROMPT_NAME must name one of the model's own prompts, or nothing could be embedded. */
    private void requireDefaultPrompt(SentenceModel loaded) {
        String name = serving.defaultPromptName();
        if (name != null && !loaded.pipeline().prompts().containsKey(name)) {
            loaded.close();
            throw new ModelLoadException("DEFAULT_PROMPT_NAME=" + name + " is not one of the prompts in the model's"
                    + " config_sentence_transformers.json " + loaded.pipeline().prompts().keySet()
                    + ". Set one of those, or DEFAULT_PROMPT to a prompt text.");
        }
    }

    /** One line per dense-layer shape; a WARN for a shape whose fast path failed its check. */
    private static void logDenseChecks(SentenceModel loaded) {
        for (DenseCheck check : loaded.denseChecks()) {
            if (check.fellBack()) {
                log.warn("Dense layers {}", check.describe());
            } else {
                log.info("Dense layers {}", check.describe());
            }
        }
    }

    /** Every batch shape class once on every worker, through the queue, before readiness. */
    private Duration warmUp(SentenceModel loaded, WorkerLayout layout) {
        long[] sample = loaded.tokenizer().encode("warm-up").ids();
        BatchLimits limits = new BatchLimits(serving.maxBatchTokens(), serving.maxBatchRequests());
        return WarmUp.run(queue, WarmUp.plan(loaded.pipeline().maxSeqLength(), limits), sample, layout.workers());
    }

    private void fail(String message, Throwable cause) {
        log.error("EmbedServe cannot start: {}", message, cause);
        AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
        if (inference.exitOnLoadFailure()) {
            // Straight to System.exit: Spring's shutdown hook closes the context. Closing it here
            // first would end the last non-daemon thread and let the JVM exit 0 before we could.
            System.exit(1);
        }
    }
}
