package io.embedserve.config;

import io.embedserve.config.ServedModels.CrossEncoderFiles;
import io.embedserve.config.ServedModels.SentenceModelFiles;
import io.embedserve.error.ModelLoadException;
import io.embedserve.inference.CrossEncoderHolder;
import io.embedserve.inference.CrossEncoderModel;
import io.embedserve.inference.ModelHolder;
import io.embedserve.inference.SentenceModel;
import io.embedserve.inference.TokenizedPair;
import io.embedserve.inference.TorchRuntime;
import io.embedserve.inference.TruncationDirection;
import io.embedserve.inference.batch.BatchLimits;
import io.embedserve.inference.batch.BatchQueue;
import io.embedserve.inference.batch.WarmUp;
import io.embedserve.inference.encode.DenseCheck;
import io.embedserve.metrics.EmbedServeMetrics;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;

/**
 * Loads the models on a background thread once the application has started, so that liveness
 * answers during a long load, then warms each up through its own batch queue ({@link WarmUp})
 * before readiness turns UP. Which models there are (a sentence model, a cross-encoder beside it, or
 * a cross-encoder alone) is read from their config.json first ({@link ServedModels}); before any
 * weights are read, the worst-case memory of all of them with these settings is checked against the
 * memory the process may use ({@link MemoryBudget}). A load that fails logs the reason (which names
 * the path and the setting) and stops the process with exit code 1: a service without its models
 * must not look half alive, and one that the largest allowed batches would get OOM-killed must not
 * start taking requests.
 */
final class ModelLoader {

    private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);

    private final ModelProperties model;
    private final RerankModelProperties rerank;
    private final InferenceProperties inference;
    private final ServingProperties serving;
    private final ModelHolder holder;
    private final BatchQueue queue;
    private final CrossEncoderHolder crossEncoderHolder;
    private final BatchQueue crossEncoderQueue;
    private final EmbedServeMetrics metrics;
    private final ConfigurableApplicationContext context;

    ModelLoader(ModelProperties model, RerankModelProperties rerank, InferenceProperties inference,
            ServingProperties serving, ModelHolder holder, BatchQueue queue, CrossEncoderHolder crossEncoderHolder,
            BatchQueue crossEncoderQueue, EmbedServeMetrics metrics, ConfigurableApplicationContext context) {
        this.model = model;
        this.rerank = rerank;
        this.inference = inference;
        this.serving = serving;
        this.holder = holder;
        this.queue = queue;
        this.crossEncoderHolder = crossEncoderHolder;
        this.crossEncoderQueue = crossEncoderQueue;
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
            ServedModels served = ServedModels.read(model, rerank);
            markAbsent(served);
            checkMemory(served, layout.workers());
            SentenceModel sentence = served.sentence() == null ? null : loadSentenceModel(served.sentence());
            CrossEncoderModel crossEncoder = served.crossEncoder() == null ? null
                    : loadCrossEncoder(served.crossEncoder(), served.sentence() != null);
            Duration warming = warmUp(sentence, crossEncoder, layout);
            // Both at once: readiness means every model answers, so neither serves before the other is warm.
            if (sentence != null) {
                holder.markReady();
            }
            if (crossEncoder != null) {
                crossEncoderHolder.markReady();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            metrics.modelLoaded(took);
            log.info("Ready in {} ms (warm-up {} ms on {} workers x {} threads{})", took.toMillis(), warming.toMillis(),
                    layout.workers(), layout.threadsPerWorker(), crossEncoder != null && sentence != null
                            ? ", each model its own workers" : "");
        } catch (ModelLoadException e) {
            fail(e.getMessage(), null);
        } catch (RuntimeException | Error e) {
            fail("Model load failed unexpectedly: " + e, e);
        }
    }

    /** What this process will not serve is known now: those routes answer 424 instead of waiting. */
    private void markAbsent(ServedModels served) {
        if (served.sentence() == null) {
            holder.markAbsent("Model is not an embedding model: " + served.crossEncoder().snapshot().modelId()
                    + " is a cross-encoder (" + served.crossEncoder().classifier().architecture()
                    + "); use /rerank or /predict");
        }
        if (served.crossEncoder() == null) {
            crossEncoderHolder.markAbsent("this service runs no cross-encoder");
        }
    }

    private void checkMemory(ServedModels served, int workers) {
        long heap = Runtime.getRuntime().maxMemory();
        SentenceModelFiles sentence = served.sentence();
        CrossEncoderFiles crossEncoder = served.crossEncoder();
        MemoryEstimate estimate;
        if (sentence == null) {
            estimate = MemoryBudget.estimate(crossEncoder.config(), crossEncoder.classifier().maxLength(), serving,
                    inference.computeDtype(), heap, workers);
        } else {
            estimate = MemoryBudget.estimate(sentence.config(), sentence.pipeline().maxSeqLength(), serving,
                    inference.computeDtype(), heap, workers);
            if (crossEncoder != null) {
                estimate = MemoryBudget.withReranker(estimate, crossEncoder.config(),
                        crossEncoder.classifier().maxLength(), serving, inference.computeDtype());
            }
        }
        long available = MemoryBudget.visibleMemory();
        MemoryBudget.require(estimate, available, sentence == null ? crossEncoder.config() : sentence.config());
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

    private SentenceModel loadSentenceModel(SentenceModelFiles files) {
        log.info("Loading {} (revision {}) from {}", files.snapshot().modelId(), files.snapshot().revision(),
                files.snapshot().directory());
        SentenceModel loaded = SentenceModel.load(files.snapshot(), files.config(), files.pipeline(),
                inference.computeDtype());
        requireDefaultPrompt(loaded);
        logDenseChecks(loaded.denseChecks());
        holder.setWarming(loaded);
        log.info("Sentence model {}: {} {} layers, hidden {}, pooling {}, {} Dense modules, dimension {},"
                        + " max_seq_length {}, dtype {}", files.snapshot().modelId(),
                loaded.encoderConfig().family().modelType(), loaded.encoderConfig().numHiddenLayers(),
                loaded.encoderConfig().hiddenSize(), loaded.pipeline().pooling().wireName(),
                loaded.pipeline().denseModules().size(), loaded.dimension(), loaded.pipeline().maxSeqLength(),
                loaded.dtype().wireName());
        return loaded;
    }

    /** @param beside whether it is the reranker beside a sentence model: its errors then name RERANK_MODEL_* */
    private CrossEncoderModel loadCrossEncoder(CrossEncoderFiles files, boolean beside) {
        log.info("Loading the cross-encoder {} (revision {}) from {}", files.snapshot().modelId(),
                files.snapshot().revision(), files.snapshot().directory());
        CrossEncoderModel loaded = beside
                ? ServedModels.asReranker(() -> CrossEncoderModel.load(files.snapshot(), inference.computeDtype()))
                : CrossEncoderModel.load(files.snapshot(), inference.computeDtype());
        logDenseChecks(loaded.denseChecks());
        crossEncoderHolder.setWarming(loaded);
        log.info("Cross-encoder {}: {} on {} {} layers, hidden {}, labels {}, max length {}, dtype {}",
                files.snapshot().modelId(), loaded.config().architecture(), loaded.encoderConfig().family().modelType(),
                loaded.encoderConfig().numHiddenLayers(), loaded.encoderConfig().hiddenSize(), loaded.labels(),
                loaded.maxLength(), loaded.dtype().wireName());
        return loaded;
    }

    /** One line per dense-layer shape; a WARN for a shape whose fast path failed its check. */
    private static void logDenseChecks(List<DenseCheck> checks) {
        for (DenseCheck check : checks) {
            if (check.fellBack()) {
                log.warn("Dense layers {}", check.describe());
            } else {
                log.info("Dense layers {}", check.describe());
            }
        }
    }

    /** Every batch shape class once on every worker of each model, through its queue, before readiness. */
    private Duration warmUp(SentenceModel sentence, CrossEncoderModel crossEncoder, WorkerLayout layout) {
        BatchLimits limits = new BatchLimits(serving.maxBatchTokens(), serving.maxBatchRequests());
        Duration took = Duration.ZERO;
        if (sentence != null) {
            long[] sample = sentence.tokenizer().encode("warm-up").ids();
            took = took.plus(WarmUp.run(queue, WarmUp.plan(sentence.pipeline().maxSeqLength(), limits), sample,
                    layout.workers()));
        }
        if (crossEncoder != null) {
            // Shapes are what a first run costs; the pairs' token types do not change them.
            long[] sample = crossEncoder.tokenize("warm-up", "warm-up", TruncationDirection.RIGHT).ids();
            took = took.plus(WarmUp.run(inputs -> crossEncoderQueue.score(inputs.stream()
                            .map(input -> new TokenizedPair(input.ids(), new long[input.length()], input.length()))
                            .toList()),
                    WarmUp.plan(crossEncoder.maxLength(), limits), sample, layout.workers()));
        }
        return took;
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
